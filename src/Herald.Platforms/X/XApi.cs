using System.Net.Http.Headers;
using System.Text;
using Herald.Accounts;
using Herald.Platforms.Http;

namespace Herald.Platforms.X;

/// <summary>
/// Sends one X API v2 call signed for the account (<see cref="XAuthorization.Authorize"/>): the posts, the reads and
/// the image uploads all go through here. A JSON or multipart body is not part of an OAuth 1.0a signature, so the
/// signature covers the method and URL alone (docs/platforms.md, X, "Auth").
/// </summary>
internal sealed class XApi(IHttpClientFactory httpClientFactory, XAuthorization authorization, TimeProvider timeProvider, XOptions options)
{
    private const string DisplayName = "X";

    /// <summary>A JSON body, made afresh for each send.</summary>
    public static Func<HttpContent>? Json(string? json) =>
        json is null ? null : () => new StringContent(json, Encoding.UTF8, "application/json");

    /// <summary>
    /// One call, signed for the account. When X refuses an OAuth 2.0 token (401) and the account can renew it,
    /// the token is renewed and the call sent once more: a 401 means X did nothing with the request.
    /// </summary>
    /// <param name="account">Whose credentials sign it.</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="relative">The path (and query) under the account's base URL.</param>
    /// <param name="content">Makes the body (null for none); called again when the call is sent a second time.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<XCall> CallAsync(Account account, HttpMethod method, string relative, Func<HttpContent>? content, CancellationToken cancellationToken)
    {
        var baseUrl = account.BaseUrl ?? options.DefaultBaseUrl;
        var url = PlatformHttp.Combine(baseUrl, relative);
        var (answer, usedToken) = await SendOnceAsync(account, method, url, content, cancellationToken);
        if (answer.Failure is not null || answer.Status != 401 || XAuthorization.SchemeOf(account.Credentials) != XAuthScheme.OAuth2)
        {
            return new XCall(answer, null);
        }

        var refresh = await authorization.RefreshAsync(account, baseUrl, usedToken, cancellationToken);
        if (!refresh.Renewed)
        {
            return new XCall(answer, refresh);
        }

        answer.Dispose();
        (answer, _) = await SendOnceAsync(account, method, url, content, cancellationToken);
        return new XCall(answer, refresh);
    }

    private async Task<(PlatformAnswer Answer, string UsedToken)> SendOnceAsync(
        Account account, HttpMethod method, Uri url, Func<HttpContent>? content, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(method, url);
        message.Content = content?.Invoke();
        message.Headers.UserAgent.Add(new ProductInfoHeaderValue("Herald", "1.0"));
        var usedToken = XAuthorization.Authorize(message, account, timeProvider);
        var client = httpClientFactory.CreateClient(XAdapter.HttpClientName);
        return (await PlatformHttp.SendAsync(client, message, DisplayName, cancellationToken), usedToken);
    }
}

/// <summary>The answer of one call and, when a 401 led to a token renewal, what came of it.</summary>
internal sealed class XCall(PlatformAnswer answer, XRefresh? refresh) : IDisposable
{
    public PlatformAnswer Answer { get; } = answer;

    /// <summary>The outcome when the call did not succeed; null on a 2xx answer.</summary>
    public PublishOutcome? Problem(Account account, TimeProvider timeProvider, bool create)
    {
        if (Answer.Failure is { } failure)
        {
            return failure;
        }

        if (Answer.IsSuccess)
        {
            return null;
        }

        if (Answer.Status == 401 && refresh?.Failure is { } refreshFailure)
        {
            return refreshFailure;
        }

        return XErrors.Classify(
            Answer.Status,
            Answer.Body,
            XErrors.RateLimitWait(Answer.Response, timeProvider),
            XAuthorization.UnauthorizedAdvice(account.Credentials, refresh),
            create);
    }

    public void Dispose() => Answer.Dispose();
}
