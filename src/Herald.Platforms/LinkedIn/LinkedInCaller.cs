using System.Net.Http.Headers;
using System.Text;
using Herald.Platforms.Http;

namespace Herald.Platforms.LinkedIn;

/// <summary>
/// Sends one LinkedIn call for an account in API mode with the headers every <c>/rest</c> call needs: the Bearer
/// token, <c>LinkedIn-Version</c> and <c>X-Restli-Protocol-Version: 2.0.0</c> (docs/platforms.md, LinkedIn, "API mode").
/// </summary>
internal sealed class LinkedInCaller(HttpClient client, Uri baseUrl, string token, string version)
{
    private const string RestliProtocolVersion = "2.0.0";

    /// <summary>The address of a <c>/rest</c> resource.</summary>
    public Uri Rest(string relative) => PlatformHttp.Combine(baseUrl, "rest/" + relative);

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public async Task<PlatformAnswer> SendAsync(HttpMethod method, Uri uri, HttpContent? content, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(method, uri) { Content = content };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        message.Headers.TryAddWithoutValidation("LinkedIn-Version", version);
        message.Headers.TryAddWithoutValidation("X-Restli-Protocol-Version", RestliProtocolVersion);
        message.Headers.UserAgent.Add(new ProductInfoHeaderValue("Herald", "1.0"));
        return await PlatformHttp.SendAsync(client, message, "LinkedIn", cancellationToken);
    }
}
