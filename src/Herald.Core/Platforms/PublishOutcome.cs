namespace Herald.Platforms;

/// <summary>How one try at publishing ended (docs/architecture.md, "Classify").</summary>
public enum PublishOutcomeKind
{
    /// <summary>The platform has the post; its id and URL are known.</summary>
    Published = 0,

    /// <summary>
    /// Nothing was done: a network error before the request was sent, a 5xx on a call that creates nothing (a
    /// lookup, a read), or an answer that proves the write was refused. Safe to retry without a lookup. A 5xx on a
    /// create is <see cref="Unknown"/>: a gateway answers 502/504 after the origin may have created the post.
    /// </summary>
    Transient = 1,

    /// <summary>The platform said "too many" (429 or a reset header): retry after <see cref="PublishOutcome.RetryAfter"/>.</summary>
    RateLimited = 2,

    /// <summary>Fix the input or the credentials first: 401/403/422, duplicate content, retired API version.</summary>
    Permanent = 3,

    /// <summary>
    /// The create may have taken effect: a timeout or lost connection after the request was sent, or a 5xx on a
    /// create. Reconciled (looked up on the platform) before any resend.
    /// </summary>
    Unknown = 4,

    /// <summary>A manual platform: Herald prepared a draft for the user to post by hand.</summary>
    ManualActionRequired = 5,
}

/// <summary>
/// What came of one try at publishing one content to one account: the post (its id and URL), a draft, or why not.
/// Adapters return outcomes, they do not throw because a platform said no; the engine and the runner hand the same
/// outcome on to their callers (with the error sanitised), so a new field is added here and nowhere else.
/// </summary>
public sealed record PublishOutcome
{
    public required PublishOutcomeKind Kind { get; init; }

    public string? ExternalId { get; init; }

    public Uri? Url { get; init; }

    /// <summary>What went wrong, in words a user can act on. Never contains a credential.</summary>
    public string? Error { get; init; }

    /// <summary>How long the platform asked Herald to wait, when it said.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>
    /// On a success: the platform's rate-limit headers said no requests are left, and when they come back. Herald
    /// holds back the account until then instead of spending the next try on a 429.
    /// </summary>
    public TimeSpan? QuotaExhaustedFor { get; init; }

    public int? HttpStatus { get; init; }

    /// <summary>
    /// The platform refused the create because it already has the same post (Dev.to "has already been taken", X
    /// "duplicate content"). After an earlier try that may have taken effect this means "look it up", never Failed.
    /// </summary>
    public bool RefusedAsDuplicate { get; init; }

    /// <summary>
    /// The outcome is an image upload's, not the create's: a rate limit it names is the platform's upload limit
    /// (<see cref="PlatformCapabilities.UploadRateLimit"/>), so it holds back uploads on the account, not its posts.
    /// </summary>
    public bool FromUpload { get; init; }

    /// <summary>The ready-to-paste draft, for <see cref="PublishOutcomeKind.ManualActionRequired"/>.</summary>
    public string? Draft { get; init; }

    /// <summary>
    /// The send's answer was lost (<see cref="PublishOutcomeKind.Unknown"/>, and so kept in the attempt's history),
    /// and a lookup found the post: <see cref="ExternalId"/> and <see cref="Url"/> are the post found.
    /// </summary>
    public bool FoundByLookup { get; init; }

    /// <summary>True when the platform has the post (sent, or found by a lookup), or a manual draft is ready.</summary>
    public bool IsSuccess => FoundByLookup || Kind is PublishOutcomeKind.Published or PublishOutcomeKind.ManualActionRequired;

    /// <summary>This outcome, settled by a lookup that found the post.</summary>
    public PublishOutcome FoundAs(string? externalId, Uri? url) =>
        this with { FoundByLookup = true, ExternalId = externalId, Url = url };

    public static PublishOutcome Published(string externalId, Uri? url, int? httpStatus = null) =>
        new() { Kind = PublishOutcomeKind.Published, ExternalId = externalId, Url = url, HttpStatus = httpStatus };

    public static PublishOutcome Transient(string error, int? httpStatus = null) =>
        new() { Kind = PublishOutcomeKind.Transient, Error = error, HttpStatus = httpStatus };

    public static PublishOutcome RateLimited(string error, TimeSpan? retryAfter, int? httpStatus = 429) =>
        new() { Kind = PublishOutcomeKind.RateLimited, Error = error, RetryAfter = retryAfter, HttpStatus = httpStatus };

    public static PublishOutcome Permanent(string error, int? httpStatus = null) =>
        new() { Kind = PublishOutcomeKind.Permanent, Error = error, HttpStatus = httpStatus };

    /// <summary>A <see cref="PublishOutcomeKind.Permanent"/> refusal because the platform already has this post.</summary>
    public static PublishOutcome Duplicate(string error, int? httpStatus = null) =>
        new() { Kind = PublishOutcomeKind.Permanent, Error = error, HttpStatus = httpStatus, RefusedAsDuplicate = true };

    public static PublishOutcome Unknown(string error, int? httpStatus = null) =>
        new() { Kind = PublishOutcomeKind.Unknown, Error = error, HttpStatus = httpStatus };

    public static PublishOutcome ManualActionRequired(string draft) =>
        new() { Kind = PublishOutcomeKind.ManualActionRequired, Draft = draft };
}
