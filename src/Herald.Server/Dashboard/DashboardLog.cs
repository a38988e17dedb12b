namespace Herald.Server.Dashboard;

/// <summary>The dashboard's log messages (event ids 11xxx); never a password, a setup token or a credential.</summary>
internal static partial class DashboardLog
{
    [LoggerMessage(EventId = 11001, Level = LogLevel.Information, Message = "No dashboard user yet: the one-time setup link was written to the console")]
    public static partial void SetupLinkWritten(ILogger logger);

    [LoggerMessage(EventId = 11002, Level = LogLevel.Warning, Message = "Could not check for dashboard users to offer the setup link ({ExceptionType})")]
    public static partial void SetupLinkFailed(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 11003, Level = LogLevel.Information, Message = "Dashboard user {UserName} created (first admin, through the setup link)")]
    public static partial void FirstAdminCreated(ILogger logger, string userName);

    [LoggerMessage(EventId = 11004, Level = LogLevel.Information, Message = "Dashboard sign-in refused for {UserName}: {Reason}")]
    public static partial void SignInRefused(ILogger logger, string userName, string reason);

    [LoggerMessage(EventId = 11005, Level = LogLevel.Information, Message = "Publication {PublicationId} {Action} through the dashboard")]
    public static partial void PublicationChanged(ILogger logger, string publicationId, string action);

    [LoggerMessage(EventId = 11006, Level = LogLevel.Information, Message = "Account {AccountId} {Action} through the dashboard")]
    public static partial void AccountChanged(ILogger logger, string accountId, string action);

    [LoggerMessage(EventId = 11007, Level = LogLevel.Information, Message = "API key {Prefix} {Action} through the dashboard")]
    public static partial void KeyChanged(ILogger logger, string prefix, string action);
}
