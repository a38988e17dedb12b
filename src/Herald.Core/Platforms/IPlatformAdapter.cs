using Herald.Accounts;
using Herald.Contents;
using Herald.Publications;
using Herald.Validation;

namespace Herald.Platforms;

/// <summary>
/// Talks to one platform. Implementations are <c>internal sealed</c> and registered with an
/// <c>Add&lt;Platform&gt;()</c> extension; they return a <see cref="PublishOutcome"/> instead of throwing
/// when the platform says no.
/// </summary>
public interface IPlatformAdapter
{
    PlatformDescriptor Platform { get; }

    /// <summary>Every problem that would stop this content from publishing on this account; empty when it can go.</summary>
    IReadOnlyList<ValidationProblem> Validate(Content content, Account account);

    /// <summary>The exact payload the platform would receive (the request body, or a manual draft).</summary>
    RenderedPayload Render(Content content, Account account);

    /// <summary>
    /// Sends the content. Never throws for a platform's refusal or a network failure. A thread is resumable:
    /// only the parts after <see cref="PublishRequest.ConfirmedParts"/> are sent, each reported through
    /// <see cref="PublishRequest.OnPartConfirmed"/> the moment the platform confirms it; when every part is
    /// already confirmed, the answer is <see cref="PublishOutcomeKind.Published"/> without a call.
    /// </summary>
    Task<PublishOutcome> PublishAsync(PublishRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Looks for a post made by an earlier try whose outcome is unknown — for a thread, the first part after
    /// <see cref="PublishRequest.ConfirmedParts"/>. Platforms without a safe way to look answer
    /// <see cref="ExistingPostLookup.CannotTell"/>.
    /// </summary>
    Task<ExistingPostLookup> FindExistingAsync(PublishRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(ExistingPostLookup.CannotTell($"{Platform.DisplayName} has no safe way to look for an earlier post."));
}

/// <summary>One publish call: the content, the account it goes to, and the publication's stable key.</summary>
public sealed record PublishRequest(Content Content, Account Account, string IdempotencyKey)
{
    /// <summary>For a thread: the remote ids of the parts earlier tries had confirmed, in order.</summary>
    public IReadOnlyList<string> ConfirmedParts { get; init; } = [];

    /// <summary>
    /// Called with a thread part's remote id as soon as the platform confirms it, before the next part is
    /// sent, so that a resumed publication continues after it. The runner stores it.
    /// </summary>
    public Func<string, CancellationToken, Task> OnPartConfirmed { get; init; } = static (_, _) => Task.CompletedTask;

    /// <summary>
    /// When an earlier try of this publication started a send whose outcome is still unknown (it may have taken
    /// effect); null when every earlier send has a confirmed outcome. Lookups use it to bound their search, and
    /// keys with a limited life (Mastodon's Idempotency-Key: one hour) are only trusted within it.
    /// </summary>
    public DateTimeOffset? UncertainSince { get; init; }

    /// <summary>
    /// The payload stored for this publication (<see cref="RenderedPayload.Body"/> of an earlier render). A resumed
    /// thread continues from the parts of this payload, never from a new cut that could differ. An adapter whose
    /// payload is the whole request (Dev.to) sends it as stored; the runner passes the payload it stored just before
    /// the send, rendered from the same content and account.
    /// </summary>
    public string? StoredPayload { get; init; }

    /// <summary>
    /// The images earlier tries uploaded (<see cref="Publication.UploadedMedia"/>): an adapter attaches these instead
    /// of uploading the same image again, while the platform still keeps them.
    /// </summary>
    public IReadOnlyList<UploadedMedia> UploadedMedia { get; init; } = [];

    /// <summary>Called as soon as the platform accepts an uploaded image, before the create; the runner stores it.</summary>
    public Func<UploadedMedia, CancellationToken, Task> OnMediaUploaded { get; init; } = static (_, _) => Task.CompletedTask;

    /// <summary>Opens the stored bytes of an image by its SHA-256 (<see cref="ContentImage.Sha256"/>); null when they are not stored.</summary>
    public Func<string, CancellationToken, Task<Stream?>> OpenMedia { get; init; } = static (_, _) => Task.FromResult<Stream?>(null);
}

/// <summary>The payload exactly as it would be sent, for storage, previews and <c>--dry-run</c>.</summary>
/// <param name="MediaType"><c>application/json</c> for an API body, <c>text/plain</c> for a draft.</param>
/// <param name="Body">The payload text.</param>
/// <param name="Endpoint">The method and path it goes to, such as <c>POST /api/articles</c>; null for a draft.</param>
public sealed record RenderedPayload(string MediaType, string Body, string? Endpoint)
{
    /// <summary>
    /// The text of each post as the platform counts it, in order: one for a single post, several for a
    /// thread. Empty for platforms whose body is not a counted text (an article).
    /// </summary>
    public IReadOnlyList<RenderedPart> Parts { get; init; } = [];
}

/// <summary>One post of a rendered payload, with the platform's own count of it.</summary>
/// <param name="Text">The text exactly as it will appear.</param>
/// <param name="Count">Its length by the platform's rule.</param>
/// <param name="Limit">The platform's limit in the same unit.</param>
/// <param name="Unit">What is counted, such as <c>weighted characters</c>, <c>graphemes</c> or <c>code points</c>.</param>
public sealed record RenderedPart(string Text, int Count, int Limit, string Unit)
{
    /// <summary>The request body of this part, when each part is its own request.</summary>
    public string? Body { get; init; }

    /// <summary>A second limit that also applies (Bluesky: 3,000 UTF-8 bytes beside 300 graphemes).</summary>
    public (int Count, int Limit, string Unit)? Secondary { get; init; }

    /// <summary>Rich-text facets (Bluesky): links, mentions and hashtags with their UTF-8 byte ranges.</summary>
    public IReadOnlyList<RenderedFacet> Facets { get; init; } = [];

    /// <summary>
    /// For a part over a limit: how much of <see cref="Text"/> (UTF-16 code units, cut between grapheme clusters) fits
    /// within every limit, so that a preview can mark the rest (<see cref="Formatting.Text.TextFit"/>). Null when all of it fits.
    /// </summary>
    public int? FittingLength { get; init; }
}

/// <summary>A link, mention or hashtag and the UTF-8 byte range [start, end) of its text.</summary>
public sealed record RenderedFacet(string Kind, int ByteStart, int ByteEnd, string Value);

/// <summary>The answer of a look for an earlier post.</summary>
public sealed record ExistingPostLookup
{
    public required ExistingPostState State { get; init; }

    public string? ExternalId { get; init; }

    public Uri? Url { get; init; }

    public string? Reason { get; init; }

    public static ExistingPostLookup Found(string externalId, Uri? url) =>
        new() { State = ExistingPostState.Found, ExternalId = externalId, Url = url };

    /// <summary>No earlier post exists (or a resend is safe for the reason given): the publication may be retried.</summary>
    public static ExistingPostLookup NotFound(string? reason = null) => new() { State = ExistingPostState.NotFound, Reason = reason };

    /// <summary>The platform offers no way to tell (Medium, a manual draft): a person decides.</summary>
    public static ExistingPostLookup CannotTell(string reason) =>
        new() { State = ExistingPostState.CannotTell, Reason = reason };

    /// <summary>
    /// The lookup could not be made now (a network failure, a timeout, a 5xx or 429 on the read): no answer. The
    /// publication stays uncertain and is looked up again later; it goes to a person only if that keeps happening.
    /// </summary>
    public static ExistingPostLookup Unavailable(string reason) =>
        new() { State = ExistingPostState.Unavailable, Reason = reason };
}

public enum ExistingPostState
{
    Found = 0,
    NotFound = 1,
    CannotTell = 2,
    Unavailable = 3,
}
