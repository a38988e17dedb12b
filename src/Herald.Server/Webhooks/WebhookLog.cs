namespace Herald.Server.Webhooks;

/// <summary>Webhook log messages (event ids 11xxx): ids, attempt numbers and Herald's own error words; never a secret or a body.</summary>
internal static partial class WebhookLog
{
    [LoggerMessage(EventId = 11001, Level = LogLevel.Warning,
        Message = "Webhook {WebhookId} delivery {MessageId} of publication {PublicationId} failed (attempt {Attempt}): {Error}; next attempt in {Delay}")]
    public static partial void Retrying(ILogger logger, Guid webhookId, string messageId, Guid publicationId, int attempt, string error, TimeSpan delay);

    [LoggerMessage(EventId = 11002, Level = LogLevel.Error,
        Message = "Webhook {WebhookId} delivery {MessageId} of publication {PublicationId} given up after {Attempt} attempts: {Error}")]
    public static partial void GaveUp(ILogger logger, Guid webhookId, string messageId, Guid publicationId, int attempt, string error);

    [LoggerMessage(EventId = 11003, Level = LogLevel.Warning, Message = "Webhook events could not be made or handed out this round; trying again")]
    public static partial void RoundFailed(ILogger logger, Exception exception);
}
