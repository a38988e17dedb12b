using Herald.Accounts;
using Herald.Contents;

namespace Herald.Engine;

/// <summary>Publishes one content to one account, now.</summary>
public interface IPublishingEngine
{
    /// <summary>
    /// Validates, renders and sends. Never throws for bad input, an unknown platform or a platform's
    /// refusal: the result says what happened, with a sanitised error.
    /// </summary>
    Task<PublishResult> PublishAsync(
        Content content,
        Account account,
        string? idempotencyKey = null,
        CancellationToken cancellationToken = default);
}
