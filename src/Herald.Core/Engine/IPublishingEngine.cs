using Herald.Accounts;
using Herald.Contents;
using Herald.Platforms;

namespace Herald.Engine;

/// <summary>Publishes one content to one account, now.</summary>
public interface IPublishingEngine
{
    /// <summary>
    /// Validates, renders and sends. Never throws for bad input, an unknown platform or a platform's
    /// refusal: the outcome says what happened, with a sanitised error.
    /// </summary>
    Task<PublishOutcome> PublishAsync(
        Content content,
        Account account,
        string? idempotencyKey = null,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// As above, with the whole request: the idempotency key, and for a thread the parts already confirmed
    /// and where to report each new one.
    /// </summary>
    Task<PublishOutcome> PublishAsync(PublishRequest request, CancellationToken cancellationToken = default);
}
