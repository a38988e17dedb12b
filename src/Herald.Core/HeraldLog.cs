using Herald.Platforms;
using Microsoft.Extensions.Logging;

namespace Herald;

/// <summary>Herald.Core's log messages, with stable event ids. Never log a credential or request headers.</summary>
internal static partial class HeraldLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Publish to {Platform} ended {Outcome} (HTTP {HttpStatus})")]
    public static partial void Published(ILogger logger, string platform, PublishOutcomeKind outcome, int? httpStatus);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "The {Platform} adapter threw {ExceptionType}; outcome recorded as Unknown")]
    public static partial void AdapterThrew(ILogger logger, string platform, string exceptionType);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Publication {PublicationId} on {Platform}: attempt {Attempt} left it {Status}")]
    public static partial void AttemptEnded(ILogger logger, string publicationId, string platform, int attempt, Herald.Publications.PublicationStatus status);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Error, Message = "The dispatcher failed ({ExceptionType}: {Reason}); trying again in {Seconds} s")]
    public static partial void DispatchFailed(ILogger logger, string exceptionType, string reason, double seconds);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Publication {PublicationId} was taken over by another worker; this worker's result was not saved")]
    public static partial void LostLease(ILogger logger, string publicationId);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Error, Message = "Publication {PublicationId} could not be run ({ExceptionType}: {Reason})")]
    public static partial void RunFailed(ILogger logger, string publicationId, string exceptionType, string reason);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information, Message = "Publication {PublicationId} deferred until {Until:o}: no rate-limit permit")]
    public static partial void Deferred(ILogger logger, string publicationId, DateTimeOffset until);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Warning, Message = "Workers were not signalled ({ExceptionType}); they will find the change at their next safety poll")]
    public static partial void SignalFailed(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Warning, Message = "A claimed batch could not be handed to the job engine; {Count} publications given back for any worker to take")]
    public static partial void ClaimReleased(ILogger logger, int count);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Warning, Message = "A claimed batch of {Count} could not be handed to the job engine nor given back ({ExceptionType}); its lease's expiry brings it back")]
    public static partial void ClaimNotReleased(ILogger logger, int count, string exceptionType);

    [LoggerMessage(EventId = 1108, Level = LogLevel.Debug, Message = "Worker warmed up in {Milliseconds:0} ms ({Platforms} platforms rendered)")]
    public static partial void WarmedUp(ILogger logger, int platforms, double milliseconds);

    [LoggerMessage(EventId = 1109, Level = LogLevel.Information, Message = "The worker's warm-up stopped ({Exceptions}); its first batch compiles what it needs as it runs")]
    public static partial void WarmUpFailed(ILogger logger, string exceptions);
}
