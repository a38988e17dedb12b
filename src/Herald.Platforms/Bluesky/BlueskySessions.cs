using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Herald.Accounts;
using Herald.Platforms.Http;

namespace Herald.Platforms.Bluesky;

/// <summary>A logged-in Bluesky session: its tokens, whose it is, and the PDS its repository lives on.</summary>
/// <param name="AccessJwt">The access token.</param>
/// <param name="RefreshJwt">The refresh token.</param>
/// <param name="Did">The account's DID.</param>
/// <param name="Handle">The account's handle.</param>
/// <param name="Pds">The PDS the account's repository lives on.</param>
/// <param name="FromStore">Read from the account's stored credentials (made by an earlier run), not made by this process.</param>
internal sealed record BlueskySession(string AccessJwt, string RefreshJwt, string Did, string Handle, Uri Pds, bool FromStore = false)
{
    /// <summary>Never prints the tokens.</summary>
    public override string ToString() => $"{Handle} ({Did})";
}

/// <summary>
/// Keeps one session per account and renews it only when Bluesky says so (docs/platforms.md, Bluesky, "Auth"):
/// <c>createSession</c> is limited to 30 per 5 minutes and 300 a day per account, so Herald never logs in
/// per post. A session is reused from memory, else from the tokens stored with the account (another process
/// made them) when they were made for the service the account uses now, else made with <c>createSession</c>.
/// A stored session whose PDS no longer answers is replaced by a new login, not reported as a failure. An expired access token (400 <c>ExpiredToken</c>) is
/// renewed with <c>refreshSession</c>; only when that fails does Herald log in again. Every new session is
/// written back to the account's credentials through <see cref="IAccountCredentialsStore"/>.
/// </summary>
internal sealed class BlueskySessions(
    IHttpClientFactory httpClientFactory, IAccountCredentialsStore credentialsStore, TimeProvider timeProvider, Uri defaultBaseUrl)
{
    internal const string IdentifierCredential = "identifier";
    internal const string AppPasswordCredential = "app_password";
    internal const string AccessJwtCredential = "access_jwt";
    internal const string RefreshJwtCredential = "refresh_jwt";
    internal const string DidCredential = "did";
    internal const string HandleCredential = "handle";
    internal const string PdsCredential = "pds_url";
    internal const string ServiceCredential = "service_url";

    private const string DisplayName = "Bluesky";

    private readonly ConcurrentDictionary<AccountId, BlueskySession> _sessions = new();
    private readonly ConcurrentDictionary<AccountId, SemaphoreSlim> _locks = new();

    /// <summary>The session this process holds for the account, if any (previews use its DID).</summary>
    public BlueskySession? Known(Account account) => _sessions.GetValueOrDefault(account.Id);

    /// <summary>The service the account logs in to: its base URL, else bsky.social.</summary>
    public Uri ServiceOf(Account account) => account.BaseUrl ?? defaultBaseUrl;

    /// <summary>
    /// Sends a call built for the current session; when Bluesky answers that the access token expired (or is
    /// not valid any more), renews the session and sends it once more.
    /// </summary>
    public async Task<BlueskyCall> SendAsync(Account account, Func<BlueskySession, HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        var (session, failure) = await GetAsync(account, cancellationToken);
        if (session is null)
        {
            return new BlueskyCall(null, null, failure);
        }

        var client = httpClientFactory.CreateClient(BlueskyAdapter.HttpClientName);
        var answer = await SendOnceAsync(client, build, session, cancellationToken);
        if (answer.Failure is { Kind: PublishOutcomeKind.Transient } && session.FromStore)
        {
            // The stored session's PDS refused the connection (nothing was sent): the repository moved, or the session
            // is from a sandbox that is gone. A new login names the PDS the account lives on now.
            answer.Dispose();
            var (fresh, loginFailure) = await LogInAgainAsync(account, session, cancellationToken);
            if (fresh is null)
            {
                return new BlueskyCall(null, null, loginFailure);
            }

            session = fresh;
            answer = await SendOnceAsync(client, build, session, cancellationToken);
        }

        if (answer.Failure is null && IsSessionRefused(answer))
        {
            answer.Dispose();
            var (renewed, renewFailure) = await RenewAsync(account, session, cancellationToken);
            if (renewed is null)
            {
                return new BlueskyCall(null, null, renewFailure);
            }

            session = renewed;
            answer = await SendOnceAsync(client, build, session, cancellationToken);
        }

        return new BlueskyCall(answer, session, null);
    }

    /// <summary>The account's session: from memory, from its stored tokens, else a new login.</summary>
    public async Task<(BlueskySession? Session, PublishOutcome? Failure)> GetAsync(Account account, CancellationToken cancellationToken)
    {
        if (_sessions.TryGetValue(account.Id, out var cached))
        {
            return (cached, null);
        }

        var gate = _locks.GetOrAdd(account.Id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (_sessions.TryGetValue(account.Id, out cached))
            {
                return (cached, null);
            }

            if (FromStoredCredentials(account) is { } stored)
            {
                _sessions[account.Id] = stored;
                return (stored, null);
            }

            return await LogInAsync(account, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Replaces a session Bluesky refused: refreshed with its refresh token, else a new login. When another call
    /// already replaced it, that newer session is used as it is.
    /// </summary>
    private async Task<(BlueskySession? Session, PublishOutcome? Failure)> RenewAsync(
        Account account, BlueskySession refused, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(account.Id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (_sessions.TryGetValue(account.Id, out var current) && current != refused)
            {
                return (current, null);
            }

            var client = httpClientFactory.CreateClient(BlueskyAdapter.HttpClientName);
            using var message = new HttpRequestMessage(HttpMethod.Post, Xrpc(ServiceOf(account), "com.atproto.server.refreshSession"));
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", refused.RefreshJwt);
            using var answer = await PlatformHttp.SendAsync(client, message, DisplayName, cancellationToken);
            if (answer.Failure is { } failure)
            {
                return (null, BeforePosting(failure));
            }

            if (answer.IsSuccess && ToSession(PlatformHttp.TryDeserialize<BlueskySessionResponse>(answer.Body), account) is { } refreshed)
            {
                await KeepAsync(account, refreshed, cancellationToken);
                return (refreshed, null);
            }

            if (answer.Status == 429 || answer.Status >= 500)
            {
                return (null, BlueskyErrors.Classify(answer.Response.StatusCode, answer.Body, RetryAfter(answer)));
            }

            // The refresh token expired or was revoked: only now log in again.
            return await LogInAsync(account, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Replaces <paramref name="stale"/> with a new login, unless another call replaced it already.</summary>
    private async Task<(BlueskySession? Session, PublishOutcome? Failure)> LogInAgainAsync(
        Account account, BlueskySession stale, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(account.Id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return _sessions.TryGetValue(account.Id, out var current) && current != stale
                ? (current, null)
                : await LogInAsync(account, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<(BlueskySession? Session, PublishOutcome? Failure)> LogInAsync(Account account, CancellationToken cancellationToken)
    {
        var identifier = account.Credentials[IdentifierCredential];
        var password = account.Credentials[AppPasswordCredential];
        if (string.IsNullOrEmpty(identifier) || string.IsNullOrEmpty(password))
        {
            return (null, PublishOutcome.Permanent(
                "The Bluesky account needs an identifier (your handle) and an app password: set BLUESKY_IDENTIFIER and BLUESKY_APP_PASSWORD."));
        }

        var client = httpClientFactory.CreateClient(BlueskyAdapter.HttpClientName);
        using var message = new HttpRequestMessage(HttpMethod.Post, Xrpc(ServiceOf(account), "com.atproto.server.createSession"))
        {
            Content = new StringContent(
                JsonSerializer.Serialize(new BlueskyCreateSessionRequest(identifier.Trim().TrimStart('@'), password), PlatformHttp.Json),
                Encoding.UTF8,
                "application/json"),
        };
        using var answer = await PlatformHttp.SendAsync(client, message, DisplayName, cancellationToken);
        if (answer.Failure is { } failure)
        {
            return (null, BeforePosting(failure));
        }

        if (!answer.IsSuccess)
        {
            var (name, said) = BlueskyErrors.Read(answer.Body);
            if (name is "AuthFactorTokenRequired")
            {
                return (null, PublishOutcome.Permanent(
                    "Bluesky asks for a sign-in code sent by email: use an app password (Settings → Privacy and security → App passwords), which needs none.",
                    answer.Status));
            }

            if (name is "AccountTakedown")
            {
                return (null, PublishOutcome.Permanent($"Bluesky has taken this account down (HTTP {answer.Status}): {said}", answer.Status));
            }

            return (null, BlueskyErrors.Classify(answer.Response.StatusCode, answer.Body, RetryAfter(answer)));
        }

        if (ToSession(PlatformHttp.TryDeserialize<BlueskySessionResponse>(answer.Body), account) is not { } session)
        {
            return (null, PublishOutcome.Transient($"Bluesky answered the login (HTTP {answer.Status}) without a usable session.", answer.Status));
        }

        await KeepAsync(account, session, cancellationToken);
        return (session, null);
    }

    /// <summary>Keeps the new session in memory and with the account, so other tries and processes use it.</summary>
    private async Task KeepAsync(Account account, BlueskySession session, CancellationToken cancellationToken)
    {
        _sessions[account.Id] = session;
        var credentials = account.Credentials;
        credentials[AccessJwtCredential] = session.AccessJwt;
        credentials[RefreshJwtCredential] = session.RefreshJwt;
        credentials[DidCredential] = session.Did;
        credentials[HandleCredential] = session.Handle;
        credentials[PdsCredential] = session.Pds.AbsoluteUri;
        credentials[ServiceCredential] = ServiceOf(account).AbsoluteUri;
        await credentialsStore.SaveCredentialsAsync(account.Id, credentials, cancellationToken);
    }

    private BlueskySession? FromStoredCredentials(Account account)
    {
        var credentials = account.Credentials;
        var access = credentials[AccessJwtCredential];
        var refresh = credentials[RefreshJwtCredential];
        var did = credentials[DidCredential];
        if (string.IsNullOrEmpty(access) || string.IsNullOrEmpty(refresh) || string.IsNullOrEmpty(did) ||
            !SameService(credentials[ServiceCredential], ServiceOf(account)))
        {
            // No session, or one made for another service (the base URL changed, or an earlier sandbox run on another
            // port): its tokens and PDS mean nothing here.
            return null;
        }

        var pds = PlatformHttp.ParseAbsolute(credentials[PdsCredential]) is { } stored && PlatformHttp.IsHttpUrl(stored) ? stored : ServiceOf(account);
        return new BlueskySession(access, refresh, did, credentials[HandleCredential] ?? HandleOf(account) ?? did, pds, FromStore: true);
    }

    private static bool SameService(string? stored, Uri service) =>
        PlatformHttp.ParseAbsolute(stored) is { } storedService &&
        string.Equals(storedService.AbsoluteUri.TrimEnd('/'), service.AbsoluteUri.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    private BlueskySession? ToSession(BlueskySessionResponse? response, Account account)
    {
        if (response is not { AccessJwt.Length: > 0, RefreshJwt.Length: > 0, Did.Length: > 0 })
        {
            return null;
        }

        return new BlueskySession(
            response.AccessJwt, response.RefreshJwt, response.Did, response.Handle ?? HandleOf(account) ?? response.Did,
            PdsOf(response.DidDoc) ?? ServiceOf(account));
    }

    /// <summary>The handle the account logs in with, when it is one (an email address is not).</summary>
    public static string? HandleOf(Account account) =>
        account.Credentials[IdentifierCredential]?.Trim().TrimStart('@') is { Length: > 0 } identifier && !identifier.Contains('@')
            ? identifier.ToLowerInvariant()
            : null;

    /// <summary>The <c>#atproto_pds</c> service endpoint of a DID document (docs/platforms.md, Bluesky: repository writes go there).</summary>
    private static Uri? PdsOf(JsonElement? didDoc)
    {
        if (didDoc is not { ValueKind: JsonValueKind.Object } doc ||
            !doc.TryGetProperty("service", out var services) || services.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var service in services.EnumerateArray())
        {
            if (service.ValueKind == JsonValueKind.Object &&
                service.TryGetProperty("id", out var id) && id.GetString()?.EndsWith("#atproto_pds", StringComparison.Ordinal) == true &&
                service.TryGetProperty("serviceEndpoint", out var endpoint) && endpoint.ValueKind == JsonValueKind.String &&
                PlatformHttp.ParseAbsolute(endpoint.GetString()) is { } url && PlatformHttp.IsHttpUrl(url))
            {
                return url;
            }
        }

        return null;
    }

    /// <summary>An XRPC method's URL: <c>{service}/xrpc/{nsid}</c>.</summary>
    public static Uri Xrpc(Uri service, string nsid) => PlatformHttp.Combine(service, "xrpc/" + nsid);

    /// <summary>The wait Bluesky asked for: <c>RateLimit-Reset</c> (epoch seconds), else Retry-After.</summary>
    public TimeSpan? RetryAfter(PlatformAnswer answer) =>
        HttpOutcomes.UntilEpochReset(answer.Response, "RateLimit-Reset", timeProvider) ?? HttpOutcomes.RetryAfter(answer.Response, timeProvider);

    /// <summary>Bluesky refuses an expired access token with 400 <c>ExpiredToken</c> (not 401), a bad one with <c>InvalidToken</c>.</summary>
    private static bool IsSessionRefused(PlatformAnswer answer) =>
        answer.Status is 400 or 401 && BlueskyErrors.Read(answer.Body).Name is "ExpiredToken" or "InvalidToken";

    private static async Task<PlatformAnswer> SendOnceAsync(
        HttpClient client, Func<BlueskySession, HttpRequestMessage> build, BlueskySession session, CancellationToken cancellationToken)
    {
        using var message = build(session);
        return await PlatformHttp.SendAsync(client, message, DisplayName, cancellationToken);
    }

    /// <summary>A session call that got no answer posted nothing: whatever happened, a resend is safe.</summary>
    private static PublishOutcome BeforePosting(PublishOutcome failure) =>
        failure.Kind == PublishOutcomeKind.Unknown ? PublishOutcome.Transient(failure.Error ?? "Bluesky did not answer the login.") : failure;
}

/// <summary>An authenticated call's answer and the session it was made with, or why no call could be made.</summary>
internal sealed class BlueskyCall(PlatformAnswer? answer, BlueskySession? session, PublishOutcome? failure) : IDisposable
{
    public PlatformAnswer? Answer { get; } = answer;

    public BlueskySession? Session { get; } = session;

    /// <summary>Set when no session could be had; nothing was sent.</summary>
    public PublishOutcome? Failure { get; } = failure;

    public void Dispose() => Answer?.Dispose();
}
