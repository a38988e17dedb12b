namespace Herald.Server.Publications;

/// <summary>The URL given when a publication is marked posted by hand (API and dashboard): empty, or an absolute http(s) URL.</summary>
internal static class PostedUrl
{
    public const string Rule = "must be an absolute http(s) URL";

    /// <summary>False when <paramref name="text"/> is given but is not an absolute http(s) URL; empty text reads as no URL.</summary>
    public static bool TryRead(string? text, out Uri? url)
    {
        url = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (Uri.TryCreate(text.Trim(), UriKind.Absolute, out var parsed) && parsed.Scheme is "https" or "http")
        {
            url = parsed;
            return true;
        }

        return false;
    }
}
