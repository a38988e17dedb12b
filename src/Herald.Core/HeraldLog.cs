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
}
