using Herald.Contents;

namespace Herald.DependencyInjection;

/// <summary>Herald-wide settings (section <c>Herald</c> in configuration).</summary>
public sealed class HeraldOptions
{
    /// <summary>The configuration section of these settings.</summary>
    public const string Section = "Herald";

    /// <summary>The configuration section of <see cref="Herald.Workers.WorkerOptions"/>, read by the inline run and the workers alike.</summary>
    public const string WorkersSection = "Herald:Workers";

    /// <summary>How many retries a publication gets after a retryable failure. Default 3.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>
    /// How much content Herald accepts (section <c>Herald:Limits</c>): <c>MaxContentBytes</c> (default 512 KiB),
    /// <c>MaxThreadParts</c> (default 25) and <c>Platforms:{platform}:MaxThreadParts</c>.
    /// </summary>
    public ContentLimits Limits { get; set; } = new();

    /// <summary>
    /// Where <c>herald serve</c> is reachable from the internet, such as <c>https://herald.example.com</c>
    /// (<c>Herald:PublicBaseUrl</c>). Platforms that fetch images themselves (Threads, Dev.to) are given
    /// <c>{PublicBaseUrl}/media/{sha256}</c> for an image stored from a local file. Null (the default): such an image
    /// is refused for them at scheduling time.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary><see cref="PublicBaseUrl"/> as an absolute URL ending in <c>/</c>; null when unset or not a valid http(s) URL.</summary>
    public Uri? PublicBaseUri =>
        Uri.TryCreate(PublicBaseUrl?.Trim(), UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps) &&
        string.IsNullOrEmpty(url.Query) && string.IsNullOrEmpty(url.Fragment)
            ? new Uri(url.AbsoluteUri.TrimEnd('/') + "/")
            : null;
}
