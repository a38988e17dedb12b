namespace Herald.Server.Hosting;

/// <summary>The server's log messages (event ids 10xxx); never a credential or an API key.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 10001, Level = LogLevel.Information, Message = "Herald server ready: role {Role}, database {Database}{Sandbox}")]
    public static partial void Ready(ILogger logger, ServerRole role, string database, string sandbox);

    [LoggerMessage(EventId = 10002, Level = LogLevel.Error, Message = "Request {Method} {Path} failed ({ExceptionType}); trace id {TraceId}")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string method, string path, string exceptionType, string traceId);

    [LoggerMessage(EventId = 10003, Level = LogLevel.Information, Message = "Publication {PublicationId} {Action} through the API")]
    public static partial void PublicationChanged(ILogger logger, string publicationId, string action);

    [LoggerMessage(EventId = 10004, Level = LogLevel.Information, Message = "Content {ContentId} posted through the {Channel}: {Count} publication(s) due {Due}")]
    public static partial void Posted(ILogger logger, string contentId, string channel, int count, DateTimeOffset due);
}
