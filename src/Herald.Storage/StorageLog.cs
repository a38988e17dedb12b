using Microsoft.Extensions.Logging;

namespace Herald.Storage;

/// <summary>Herald.Storage's log messages, with stable event ids.</summary>
internal static partial class StorageLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "LISTEN herald_due failed ({ExceptionType}); reconnecting")]
    public static partial void ListenFailed(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "NOTIFY herald_due failed ({ExceptionType}); other workers see the change at their next poll")]
    public static partial void NotifyFailed(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "NOTIFY herald_due not sent within {Seconds} s while stopping; other workers see the change at their next poll")]
    public static partial void NotifyFlushTimedOut(ILogger logger, double seconds);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "{Warning}")]
    public static partial void KeyFileReadableByOthers(ILogger logger, string warning);
}
