using Herald.Accounts;
using Herald.Contents;
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

    /// <summary>Sends the content. Never throws for a platform's refusal or a network failure.</summary>
    Task<PublishOutcome> PublishAsync(PublishRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Looks for a post made by an earlier try whose outcome is unknown. Platforms without a safe way to
    /// look answer <see cref="ExistingPostLookup.CannotTell"/>.
    /// </summary>
    Task<ExistingPostLookup> FindExistingAsync(PublishRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(ExistingPostLookup.CannotTell($"{Platform.DisplayName} has no safe way to look for an earlier post."));
}

/// <summary>One publish call: the content, the account it goes to, and the publication's stable key.</summary>
public sealed record PublishRequest(Content Content, Account Account, string IdempotencyKey);

/// <summary>The payload exactly as it would be sent, for storage, previews and <c>--dry-run</c>.</summary>
/// <param name="MediaType"><c>application/json</c> for an API body, <c>text/plain</c> for a draft.</param>
/// <param name="Body">The payload text.</param>
/// <param name="Endpoint">The method and path it goes to, such as <c>POST /api/articles</c>; null for a draft.</param>
public sealed record RenderedPayload(string MediaType, string Body, string? Endpoint);

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

    public static ExistingPostLookup CannotTell(string reason) =>
        new() { State = ExistingPostState.CannotTell, Reason = reason };
}

public enum ExistingPostState
{
    Found = 0,
    NotFound = 1,
    CannotTell = 2,
}
