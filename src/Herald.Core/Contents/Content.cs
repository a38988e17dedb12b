namespace Herald.Contents;

/// <summary>
/// What to say, written once: a Markdown (CommonMark) body with a title, tags, description and canonical URL.
/// Platforms render it in their own format.
/// </summary>
public sealed class Content
{
    public ContentId Id { get; init; } = ContentId.New();

    public ContentType Type { get; init; } = ContentType.Article;

    public string Title { get; init; } = "";

    /// <summary>The body as Markdown (CommonMark), without front matter.</summary>
    public string Body { get; init; } = "";

    public string? Author { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public string? Description { get; init; }

    /// <summary>Where the original lives; relative links are made absolute against it.</summary>
    public Uri? CanonicalUrl { get; init; }

    public Uri? CoverImage { get; init; }

    /// <summary>
    /// The images attached to the content, in order: front matter <c>images</c>, then (for a short post) the Markdown
    /// images of its body, which are taken out of the text. Scheduling stores their bytes and fills in their facts.
    /// </summary>
    public IReadOnlyList<ContentImage> Images { get => _images; init => _images = value; }

    private IReadOnlyList<ContentImage> _images = [];

    public string? Series { get; init; }

    /// <summary>An ISO 639-1 language code such as <c>en</c>.</summary>
    public string? Language { get; init; }

    /// <summary>
    /// On a short-form platform (X, Threads, Mastodon, Bluesky), publish an article as a thread of its text
    /// instead of a teaser. Front matter <c>thread: true</c>.
    /// </summary>
    public bool Thread { get; init; }

    /// <summary>Number the parts of a thread (<c>1/3</c>, <c>2/3</c> …). Default true; front matter <c>thread_numbering</c>.</summary>
    public bool NumberThreadParts { get; init; } = true;

    /// <summary>Free-form per-platform overrides, keyed by platform id then setting name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Overrides { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Replaces the images with their resolved or stored form (the same images, in the same order).</summary>
    internal void ReplaceImages(IReadOnlyList<ContentImage> images) => _images = images;

    /// <summary>The override <paramref name="key"/> for <paramref name="platformId"/>, if the content set one.</summary>
    public string? OverrideFor(string platformId, string key) =>
        Overrides.TryGetValue(platformId, out var settings) && settings.TryGetValue(key, out var value) ? value : null;
}
