using Herald.Contents;
using Herald.Platforms;
using Herald.Platforms.Media;
using Herald.Server.Publications;

namespace Herald.Server.Posts;

/// <summary>
/// The body of <c>POST /posts</c>: the content as <see cref="Markdown"/> with YAML front matter, or as the same
/// fields one by one; where it goes; and when.
/// </summary>
public sealed record PostRequest
{
    /// <summary>Markdown with optional front matter (title, tags, description, canonical_url, …). Or give the fields below instead.</summary>
    public string? Markdown { get; init; }

    /// <summary><c>article</c> (has a title) or <c>post</c> (the body is the text). Default: article when there is a title.</summary>
    public string? Type { get; init; }

    public string? Title { get; init; }

    /// <summary>The body as Markdown (CommonMark).</summary>
    public string? Body { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<string>? Tags { get; init; }

    public string? CanonicalUrl { get; init; }

    public string? CoverImage { get; init; }

    public string? Series { get; init; }

    public string? Language { get; init; }

    public string? Author { get; init; }

    /// <summary>On X, Threads, Mastodon and Bluesky, post an article as a thread of its text instead of a teaser.</summary>
    public bool? Thread { get; init; }

    /// <summary>Number a thread's parts (1/3, 2/3 …). Default true.</summary>
    public bool? ThreadNumbering { get; init; }

    /// <summary>Per-platform fields, keyed by platform id then field name.</summary>
    public IReadOnlyDictionary<string, Dictionary<string, string>>? Overrides { get; init; }

    /// <summary>Where to publish: platform ids (each with one account), account ids, or <c>all</c>.</summary>
    public IReadOnlyList<string>? Targets { get; init; }

    /// <summary>When: a local time (<c>2026-12-01 09:00</c>) read in <see cref="TimeZone"/>, ISO 8601 with an offset, or <c>now</c> (default).</summary>
    public string? At { get; init; }

    /// <summary>An IANA zone such as <c>Europe/Berlin</c> for <see cref="At"/>; default UTC.</summary>
    public string? TimeZone { get; init; }

    /// <summary>Return the exact payloads with their counts; store and send nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>Publish even though the same content already went (or is going) to the same account.</summary>
    public bool Again { get; init; }
}

/// <summary>Content as the API shows it.</summary>
public sealed record ContentResponse(
    string Id, ContentType Type, string Title, string Body, IReadOnlyList<string> Tags, string? Description, Uri? CanonicalUrl,
    Uri? CoverImage, string? Series, string? Language, DateTimeOffset CreatedAt)
{
    internal static ContentResponse From(Content c) =>
        new(c.Id.ToString(), c.Type, c.Title, c.Body, c.Tags, c.Description, c.CanonicalUrl, c.CoverImage, c.Series, c.Language, c.CreatedAt);
}

/// <summary>What <c>POST /posts</c> stored: the content and one publication per target.</summary>
public sealed record PostResponse(ContentResponse Content, IReadOnlyList<PublicationResponse> Publications);

/// <summary>What <c>POST /posts</c> with <c>dryRun</c> would send: one payload per target.</summary>
public sealed record DryRunResponse(IReadOnlyList<PayloadPreview> Payloads);

/// <summary>The exact payload for one account, with each part's count against the platform's limit.</summary>
public sealed record PayloadPreview(string Platform, string AccountId, string AccountName, string MediaType, string? Endpoint, string Body, IReadOnlyList<PartPreview> Parts)
{
    internal static PayloadPreview From(string accountId, string accountName, string platform, RenderedPayload payload) =>
        new(platform, accountId, accountName, payload.MediaType, payload.Endpoint, payload.Body, [.. payload.Parts.Select(PartPreview.From)]);
}

/// <summary>
/// One post of a payload: its text, the platform's count and limit, a second limit if any, and its facets. For a part
/// over a limit, <paramref name="FittingLength"/> is how much of the text (UTF-16 code units) fits; the rest is what to cut.
/// </summary>
public sealed record PartPreview(
    string Text, int Count, int Limit, string Unit, int? SecondaryCount, int? SecondaryLimit, string? SecondaryUnit, IReadOnlyList<RenderedFacet> Facets,
    int? FittingLength = null)
{
    internal static PartPreview From(RenderedPart part) =>
        new(part.Text, part.Count, part.Limit, part.Unit, part.Secondary?.Count, part.Secondary?.Limit, part.Secondary?.Unit, part.Facets, part.FittingLength);
}

/// <summary>What <c>POST /previews</c> answers: per target, the payload with its counts and what would be refused.</summary>
public sealed record PreviewResponse(IReadOnlyList<TargetPreview> Targets);

/// <summary>
/// One target's preview: the exact payload (null when the content cannot even be rendered there), every rule the
/// content breaks there (empty when it can go), and each image as that platform would get it — the same description
/// <c>herald preview</c> gives. Images given by URL are not fetched for a preview: they are fetched at scheduling.
/// </summary>
public sealed record TargetPreview(string Platform, string AccountId, PayloadPreview? Payload, IReadOnlyList<string> Problems)
{
    public IReadOnlyList<ImagePreview> Images { get; init; } = [];
}
