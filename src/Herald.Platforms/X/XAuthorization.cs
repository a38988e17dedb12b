using System.Net.Http.Headers;
using System.Text;
using Herald.Accounts;
using Herald.Platforms.Http;

namespace Herald.Platforms.X;

/// <summary>How an X account signs its calls (docs/platforms.md, X, "Auth").</summary>
internal enum XAuthScheme
{
    /// <summary>No usable credentials.</summary>
    None = 0,

    /// <summary>OAuth 2.0 user context: <c>Authorization: Bearer &lt;access_token&gt;</c>, renewable with a refresh token.</summary>
    OAuth2 = 1,

    /// <summary>OAuth 1.0a user context: every call signed with HMAC-SHA1.</summary>
    OAuth1 = 2,
}

/// <summary>What came of renewing an OAuth 2.0 access token.</summary>
/// <param name="Renewed">A new access token is in the account (this call's, or a concurrent one's).</param>
/// <param name="Refused">Why renewing was not possible or X refused it; null when renewed.</param>
/// <param name="Failure">The token call itself failed in transit: try the publication again later.</param>
/// <param name="Status">The HTTP status of X's refusal, when it refused.</param>
internal sealed record XRefresh(bool Renewed, string? Refused = null, PublishOutcome? Failure = null, int? Status = null);

/// <summary>
/// Puts the account's credentials on each X call, and renews an OAuth 2.0 access token when X refuses it:
/// <c>POST /2/oauth2/token</c> with <c>grant_type=refresh_token</c>, then the new token pair goes into the
/// account and through <see cref="IAccountCredentialsStore"/>, so other tries and processes start from it.
/// X refresh tokens are single-use, so renewals of one account are serialised across processes
/// (<see cref="IAccountCredentialsStore.RenewAsync{T}"/>).
/// </summary>
internal sealed class XAuthorization(IHttpClientFactory httpClientFactory, IAccountCredentialsStore credentialsStore, TimeProvider timeProvider)
{
    public const string AccessToken = "access_token";
    public const string RefreshToken = "refresh_token";
    public const string ClientId = "client_id";
    public const string ClientSecret = "client_secret";
    public const string ConsumerKey = "consumer_key";
    public const string ConsumerSecret = "consumer_secret";
    public const string AccessTokenSecret = "access_token_secret";

    /// <summary>
    /// The scopes of the OAuth 2.0 access token, space-separated, as X's token answer gives them: kept at each renewal
    /// (or entered with the token) so that <c>herald accounts test</c> can say what the token may do.
    /// </summary>
    public const string Scope = "scope";

    /// <summary>Saves of a renewed pair before giving up.</summary>
    private const int SaveAttempts = 5;

    /// <summary>OAuth 1.0a as soon as any of its own fields is present, so a half-filled set is reported, not ignored.</summary>
    public static XAuthScheme SchemeOf(AccountCredentials credentials) =>
        credentials.Has(ConsumerKey) || credentials.Has(ConsumerSecret) || credentials.Has(AccessTokenSecret) ? XAuthScheme.OAuth1
        : credentials.Has(AccessToken) ? XAuthScheme.OAuth2
        : XAuthScheme.None;

    /// <summary>Every credential that is missing, as (field, rule).</summary>
    public static IReadOnlyList<(string Field, string Rule)> Problems(AccountCredentials credentials)
    {
        var problems = new List<(string, string)>();
        switch (SchemeOf(credentials))
        {
            case XAuthScheme.None:
                problems.Add((AccessToken,
                    "is required: an OAuth 2.0 user access token (X_ACCESS_TOKEN), or for OAuth 1.0a the consumer_key, " +
                    "consumer_secret, access_token and access_token_secret of your app and account"));
                break;
            case XAuthScheme.OAuth1:
                foreach (var field in new[] { ConsumerKey, ConsumerSecret, AccessToken, AccessTokenSecret }.Where(f => !credentials.Has(f)))
                {
                    problems.Add((field, "is required for OAuth 1.0a: X signs with the consumer_key, consumer_secret, access_token and access_token_secret together"));
                }

                break;
            case XAuthScheme.OAuth2 when credentials.Has(RefreshToken) && !credentials.Has(ClientId):
                problems.Add((ClientId, "is required with a refresh_token: X renews an access token only for the app's client id"));
                break;
        }

        return problems;
    }

    /// <summary>What to do when X answers 401, given how the account signs in and what renewing did.</summary>
    public static string UnauthorizedAdvice(AccountCredentials credentials, XRefresh? refresh) => (SchemeOf(credentials), refresh) switch
    {
        (XAuthScheme.OAuth1, _) =>
            "the consumer key and secret or the access token and secret are wrong or revoked; regenerate them in the X developer portal.",
        (_, { Renewed: true }) => "X refused even the renewed access token; authorize Herald again to get a new access_token and refresh_token.",
        (_, { Refused: { } refused }) => $"the access token was refused and renewing it failed ({refused}); authorize Herald again to get a new access_token and refresh_token.",
        _ => "the access token is wrong or expired (X user tokens last 2 hours). Give the account a refresh_token and client_id " +
             "(an app with the offline.access scope) so Herald renews it, or a new access_token (X_ACCESS_TOKEN).",
    };

    /// <summary>Signs <paramref name="message"/> for <paramref name="account"/>; returns the access token it used.</summary>
    public static string Authorize(HttpRequestMessage message, Account account, TimeProvider timeProvider)
    {
        var credentials = account.Credentials;
        var token = credentials[AccessToken] ?? "";
        if (SchemeOf(credentials) == XAuthScheme.OAuth1)
        {
            var signing = new XOAuth1Credentials(credentials[ConsumerKey] ?? "", credentials[ConsumerSecret] ?? "", token, credentials[AccessTokenSecret] ?? "");
            var header = XOAuth1Signer.AuthorizationHeader(
                message.Method.Method, message.RequestUri!, signing, XOAuth1Signer.NewNonce(), timeProvider.GetUtcNow().ToUnixTimeSeconds());
            message.Headers.TryAddWithoutValidation("Authorization", header);
        }
        else
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return token;
    }

    /// <summary>
    /// Renews the access token that X refused (<paramref name="rejectedToken"/>), holding the account's renewal lock
    /// (shared by every process on the same database). When the stored token is no longer the rejected one, another
    /// batch or process renewed it meanwhile: its pair is adopted and nothing is sent, since X refresh tokens are
    /// single-use and the one this copy holds is spent. Only when the stored token is the rejected one does Herald
    /// spend the refresh token; the new pair is stored before the lock is released.
    /// </summary>
    public async Task<XRefresh> RefreshAsync(Account account, Uri baseUrl, string rejectedToken, CancellationToken cancellationToken)
    {
        var refresh = await credentialsStore.RenewAsync(
            account.Id, stored => RefreshHeldAsync(account, stored, baseUrl, rejectedToken, cancellationToken), cancellationToken);
        if (refresh is { Renewed: false, Status: 400 })
        {
            // X refused the refresh token as spent: a renewal that did not take the lock (an older Herald) may have
            // spent it a moment ago. Its pair is stored by now; read it again before asking the user to re-authorize.
            var adopted = await credentialsStore.RenewAsync(
                account.Id, stored => Task.FromResult(Adopt(account.Credentials, stored, rejectedToken)), cancellationToken);
            return adopted ? new XRefresh(Renewed: true) : refresh;
        }

        return refresh;
    }

    private async Task<XRefresh> RefreshHeldAsync(
        Account account, AccountCredentials? stored, Uri baseUrl, string rejectedToken, CancellationToken cancellationToken)
    {
        var credentials = account.Credentials;
        if (Adopt(credentials, stored, rejectedToken) ||
            !string.Equals(credentials[AccessToken], rejectedToken, StringComparison.Ordinal))
        {
            // Renewed meanwhile, by another process (stored) or by another call in this one (this copy).
            return new XRefresh(Renewed: true);
        }

        if (!credentials.Has(RefreshToken) || !credentials.Has(ClientId))
        {
            // Nothing to renew with: the advice for a plain expired token applies.
            return new XRefresh(false);
        }

        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = credentials[RefreshToken]!,
            ["client_id"] = credentials[ClientId]!,
        };
        using var message = new HttpRequestMessage(HttpMethod.Post, PlatformHttp.Combine(baseUrl, "2/oauth2/token"))
        {
            Content = new FormUrlEncodedContent(form),
        };
        if (credentials[ClientSecret] is { Length: > 0 } secret)
        {
            // A confidential client authenticates with HTTP Basic (RFC 6749 §2.3.1).
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(credentials[ClientId]!)}:{Uri.EscapeDataString(secret)}"));
            message.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        }

        var client = httpClientFactory.CreateClient(XAdapter.HttpClientName);
        using var answer = await PlatformHttp.SendAsync(client, message, "X", cancellationToken);
        if (answer.Failure is { } failure)
        {
            return new XRefresh(false, Failure: PublishOutcome.Transient($"Renewing the X access token failed: {failure.Error}"));
        }

        var tokens = answer.IsSuccess ? PlatformHttp.TryDeserialize<XTokenResponse>(answer.Body) : null;
        if (tokens?.AccessToken is not { Length: > 0 } newToken)
        {
            var said = XErrors.Describe(answer.Body);
            return new XRefresh(false, $"X answered HTTP {answer.Status}{(said is null ? "" : ": " + said)}", Status: answer.Status);
        }

        credentials[AccessToken] = newToken;
        if (tokens.RefreshToken is { Length: > 0 } newRefresh)
        {
            credentials[RefreshToken] = newRefresh;
        }

        if (tokens.Scope is { Length: > 0 } scope)
        {
            credentials[Scope] = scope;
        }

        // X says how long the new access token lasts (two hours); without it the expiry is unknown, not the old one's.
        credentials.AccessTokenExpiresAt = tokens.ExpiresIn is int seconds and > 0 ? timeProvider.GetUtcNow().AddSeconds(seconds) : null;

        // The old refresh token is spent: the new pair must reach the database, or after a restart the account needs
        // authorizing again. Kept even if the caller gives up now (no cancellation), and retried over a passing outage.
        await SaveRenewedAsync(account.Id, credentials);
        return new XRefresh(Renewed: true);
    }

    /// <summary>Takes the stored token pair into <paramref name="credentials"/> when it is newer than <paramref name="rejectedToken"/>.</summary>
    private static bool Adopt(AccountCredentials credentials, AccountCredentials? stored, string rejectedToken)
    {
        if (stored is not { UnreadableReason: null } || stored[AccessToken] is not { Length: > 0 } storedToken ||
            string.Equals(storedToken, rejectedToken, StringComparison.Ordinal))
        {
            return false;
        }

        credentials[AccessToken] = storedToken;
        credentials[RefreshToken] = stored[RefreshToken];
        if (stored[Scope] is { Length: > 0 } scope)
        {
            credentials[Scope] = scope;
        }

        return true;
    }

    private async Task SaveRenewedAsync(AccountId accountId, AccountCredentials credentials)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await credentialsStore.SaveCredentialsAsync(accountId, credentials, CancellationToken.None);
                return;
            }
            catch (Exception ex) when (attempt < SaveAttempts && ex is not OperationCanceledException)
            {
                // 1, 2, 4, 8 seconds: long enough for a database fail-over or a busy SQLite writer to pass.
                await Task.Delay(TimeSpan.FromSeconds(1 << (attempt - 1)), timeProvider, CancellationToken.None);
            }
        }
    }
}
