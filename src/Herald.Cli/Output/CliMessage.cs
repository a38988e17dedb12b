namespace Herald.Cli.Output;

/// <summary>An exception's message as the user reads it: without the .NET parameter name that argument exceptions append.</summary>
internal static class CliMessage
{
    public static string Of(Exception exception)
    {
        var message = exception.Message;
        if (exception is ArgumentException { ParamName: { } name })
        {
            var suffix = $" (Parameter '{name}')";
            var at = message.IndexOf(suffix, StringComparison.Ordinal);
            if (at >= 0)
            {
                message = message.Remove(at, suffix.Length);
            }
        }

        return message;
    }
}
