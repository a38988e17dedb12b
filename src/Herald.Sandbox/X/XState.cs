using System.Globalization;
using Herald.Sandbox.Hosting;

namespace Herald.Sandbox.X;

/// <summary>
/// The simulated X's data: users, their credentials (OAuth 2.0 tokens that expire, single-use refresh
/// tokens, OAuth 1.0a consumer and token secrets), posts, and each user's create window. Checks and inserts
/// happen under one lock.
/// </summary>
public sealed class XState
{
    /// <summary>How far back an identical text counts as a duplicate. X says "recent" without a number (docs/platforms.md, X, "Idempotency").</summary>
    internal static readonly TimeSpan DuplicateWindow = TimeSpan.FromHours(24);

    private const long SnowflakeEpochMilliseconds = 1288834974657;

    /// <summary>What a user grants Herald's X app: posting, reading, images and renewal.</summary>
    private const string DefaultScopes = "tweet.read tweet.write users.read offline.access media.write";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, XSandboxUser> _usersById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (XSandboxUser User, DateTimeOffset? ExpiresAt, string? Scopes)> _accessTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (XSandboxUser User, string ClientId)> _refreshTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _clients = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _clientScopes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _consumers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (XSandboxUser User, string ConsumerKey, string Secret)> _oauth1Tokens = new(StringComparer.Ordinal);
    private readonly HashSet<string> _appOnlyTokens = new(StringComparer.Ordinal);
    private readonly HashSet<string> _nonces = new(StringComparer.Ordinal);
    private readonly List<XPost> _posts = [];
    private readonly Dictionary<string, (DateTimeOffset Start, int Used)> _windows = new(StringComparer.Ordinal);
    private long _lastId;
    private long _nextUserId = 1;
    private int? _holdAfter;
    private int _held;
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal XState(SandboxState sandbox)
    {
        Sandbox = sandbox;
        var user = AddUser(SandboxAccounts.XUsername, "Herald Sandbox");
        AddAccessToken(user, SandboxAccounts.XAccessToken);
        AddClient(SandboxAccounts.XClientId);
        AddConsumer(SandboxAccounts.XConsumerKey, SandboxAccounts.XConsumerSecret);
        AddOAuth1Token(user, SandboxAccounts.XConsumerKey, SandboxAccounts.XOAuth1Token, SandboxAccounts.XOAuth1TokenSecret);
        _appOnlyTokens.Add(SandboxAccounts.XAppOnlyToken);
        Media = new XMediaState(sandbox);
    }

    internal SandboxState Sandbox { get; }

    /// <summary>Uploaded images, their alt text and owners.</summary>
    public XMediaState Media { get; }

    /// <summary>Every accepted post, deleted ones included, in creation order.</summary>
    public IReadOnlyList<XPost> Posts
    {
        get
        {
            lock (_lock)
            {
                return [.. _posts];
            }
        }
    }

    /// <summary>How many creates are waiting at the hold (<see cref="HoldCreatesAfter"/>).</summary>
    public int HeldCreates => Volatile.Read(ref _held);

    /// <exception cref="InvalidOperationException">The username is taken.</exception>
    public XSandboxUser AddUser(string username, string? name = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(username);
        lock (_lock)
        {
            if (_usersById.Values.Any(u => string.Equals(u.Username, username, StringComparison.OrdinalIgnoreCase)))
            {
                throw new InvalidOperationException($"The X sandbox username '{username}' is taken.");
            }

            var user = new XSandboxUser((1580000000000000000 + _nextUserId++).ToString(CultureInfo.InvariantCulture), username, name ?? username);
            _usersById[user.Id] = user;
            return user;
        }
    }

    /// <summary>
    /// A fixed OAuth 2.0 user token for <paramref name="user"/>, valid until <paramref name="expiresAt"/> (forever when
    /// null), granted <paramref name="scopes"/> (space-separated; every scope when null).
    /// </summary>
    public void AddAccessToken(XSandboxUser user, string accessToken, DateTimeOffset? expiresAt = null, string? scopes = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        lock (_lock)
        {
            _accessTokens.Add(accessToken, (user, expiresAt, scopes));
        }
    }

    /// <summary>
    /// Registers an OAuth 2.0 app: a public client (no secret) or a confidential one, whose tokens carry
    /// <paramref name="scopes"/> (space-separated; by default every scope Herald asks for), as the token answer's
    /// <c>scope</c> says.
    /// </summary>
    public void AddClient(string clientId, string? clientSecret = null, string? scopes = null)
    {
        lock (_lock)
        {
            _clients.Add(clientId, clientSecret);
            _clientScopes.Add(clientId, scopes ?? DefaultScopes);
        }
    }

    /// <summary>The scopes an app's user granted it, as the token answer lists them.</summary>
    internal string ScopesOf(string clientId)
    {
        lock (_lock)
        {
            return _clientScopes.GetValueOrDefault(clientId, DefaultScopes);
        }
    }

    /// <summary>
    /// Issues a token pair as the authorization-code flow would: an access token that expires after
    /// <see cref="XSandboxOptions.AccessTokenLifetime"/> and a single-use refresh token for <paramref name="clientId"/>.
    /// </summary>
    public XTokenPair IssueTokens(XSandboxUser user, string clientId)
    {
        lock (_lock)
        {
            if (!_clients.ContainsKey(clientId))
            {
                throw new InvalidOperationException($"The X sandbox has no OAuth 2.0 client '{clientId}'; AddClient first.");
            }

            return IssueLocked(user, clientId);
        }
    }

    public void AddConsumer(string consumerKey, string consumerSecret)
    {
        lock (_lock)
        {
            _consumers.Add(consumerKey, consumerSecret);
        }
    }

    /// <summary>An OAuth 1.0a access token and secret of <paramref name="user"/> for the app <paramref name="consumerKey"/>.</summary>
    public void AddOAuth1Token(XSandboxUser user, string consumerKey, string token, string tokenSecret)
    {
        lock (_lock)
        {
            _oauth1Tokens.Add(token, (user, consumerKey, tokenSecret));
        }
    }

    /// <summary>
    /// After <paramref name="count"/> more posts are created, every further create waits (without being
    /// created) until <see cref="ReleaseCreates"/> or until its caller goes away: a post "in flight" when a
    /// process dies.
    /// </summary>
    public void HoldCreatesAfter(int count)
    {
        lock (_lock)
        {
            _holdAfter = _posts.Count + count;
            _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void ReleaseCreates()
    {
        lock (_lock)
        {
            _holdAfter = null;
            _release.TrySetResult();
        }
    }

    internal async Task WaitIfHeldAsync(CancellationToken cancellationToken)
    {
        Task release;
        lock (_lock)
        {
            if (_holdAfter is not { } after || _posts.Count < after)
            {
                return;
            }

            release = _release.Task;
        }

        Interlocked.Increment(ref _held);
        try
        {
            await release.WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _held);
        }
    }

    internal XSandboxUser? FindUser(string id)
    {
        lock (_lock)
        {
            return _usersById.GetValueOrDefault(id);
        }
    }

    /// <summary>
    /// Who signed the request: an OAuth 2.0 user token that has not expired, or an OAuth 1.0a signature that
    /// verifies with a nonce not seen before. An app-only token is known but may not act for a user (403).
    /// </summary>
    internal XCaller Authenticate(HttpRequest request, string? formBody)
    {
        var header = request.Headers.Authorization.ToString();
        var now = Sandbox.TimeProvider.GetUtcNow();
        lock (_lock)
        {
            if (header.StartsWith("Bearer ", StringComparison.Ordinal))
            {
                var token = header[7..].Trim();
                if (_appOnlyTokens.Contains(token))
                {
                    return new XCaller(null, XAuthKind.OAuth2User, 403,
                        "Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  Supported authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].");
                }

                return _accessTokens.TryGetValue(token, out var entry) && (entry.ExpiresAt is null || now < entry.ExpiresAt)
                    ? new XCaller(entry.User, XAuthKind.OAuth2User) { Scopes = entry.Scopes }
                    : new XCaller(null, XAuthKind.OAuth2User, 401, "Unauthorized");
            }

            var oauth = XOAuth1Verifier.ParseHeader(header);
            if (oauth is null ||
                oauth.GetValueOrDefault("oauth_signature_method") != "HMAC-SHA1" ||
                oauth.GetValueOrDefault("oauth_version") is not (null or "1.0") ||
                !oauth.TryGetValue("oauth_consumer_key", out var consumerKey) || !_consumers.TryGetValue(consumerKey, out var consumerSecret) ||
                !oauth.TryGetValue("oauth_token", out var accessToken) || !_oauth1Tokens.TryGetValue(accessToken, out var tokenEntry) ||
                tokenEntry.ConsumerKey != consumerKey ||
                !oauth.TryGetValue("oauth_nonce", out var nonce) || !oauth.TryGetValue("oauth_timestamp", out var timestamp) ||
                !XOAuth1Verifier.IsValid(request, formBody, oauth, consumerSecret, tokenEntry.Secret) ||
                // RFC 5849 §3.3: a nonce is good for one request (per token and timestamp).
                !_nonces.Add($"{consumerKey}\n{accessToken}\n{timestamp}\n{nonce}"))
            {
                return new XCaller(null, XAuthKind.OAuth1User, 401, "Unauthorized");
            }

            return new XCaller(tokenEntry.User, XAuthKind.OAuth1User);
        }
    }

    /// <summary>
    /// The refresh-token grant: spends <paramref name="refreshToken"/> and issues a new pair, or names the
    /// OAuth error (RFC 6749 §5.2).
    /// </summary>
    internal (XTokenPair? Pair, string? Error) Refresh(string? refreshToken, string? clientId, string? clientSecret)
    {
        lock (_lock)
        {
            if (clientId is null || !_clients.TryGetValue(clientId, out var secret))
            {
                return (null, "invalid_client");
            }

            if (secret is not null && secret != clientSecret)
            {
                return (null, "invalid_client");
            }

            if (refreshToken is null || !_refreshTokens.TryGetValue(refreshToken, out var entry) || entry.ClientId != clientId)
            {
                return (null, "invalid_request");
            }

            _refreshTokens.Remove(refreshToken);
            return (IssueLocked(entry.User, clientId), null);
        }
    }

    /// <summary>Counts a create against the user's window; false when the window was used up already.</summary>
    internal (bool Allowed, XRateWindow Window) CountCreate(XSandboxUser user) => Count(user, "POST /2/tweets", Sandbox.Options.X.CreatesPerWindow);

    /// <summary>
    /// Counts a call of <paramref name="endpoint"/> against the user's 15-minute window of that endpoint (each endpoint
    /// has its own, as in X's table); false when it was used up already.
    /// </summary>
    internal (bool Allowed, XRateWindow Window) Count(XSandboxUser user, string endpoint, int limit)
    {
        var options = Sandbox.Options;
        var now = Sandbox.TimeProvider.GetUtcNow();
        var key = endpoint + "\n" + user.Id;
        lock (_lock)
        {
            if (!_windows.TryGetValue(key, out var window) || now >= window.Start + options.X.CreateWindow)
            {
                window = (now, 0);
            }

            var allowed = options.DisableRateLimits || window.Used < limit;
            if (allowed)
            {
                window.Used++;
            }

            _windows[key] = window;
            return (allowed, new XRateWindow(limit, Math.Max(0, limit - window.Used), window.Start + options.X.CreateWindow));
        }
    }

    /// <summary>
    /// Creates a post: the parent must exist, the media ids (when given) must be 1 to 4 of the user's own live uploads,
    /// the text must be valid by X's count (it may be empty with media), and not a recent repeat.
    /// </summary>
    internal XCreateResult Create(XSandboxUser user, string text, string? inReplyToId, IReadOnlyList<string>? mediaIds = null)
    {
        IReadOnlyList<XMedia> media = [];
        if (mediaIds is not null)
        {
            if (Media.ForPost(user, mediaIds) is not { } found)
            {
                return new XCreateResult(null, 400, new
                {
                    title = "Invalid Request",
                    type = "https://api.x.com/2/problems/invalid-request",
                    detail = "Your media IDs are invalid.",
                });
            }

            media = found;
        }

        var length = XWeightedLength.Of(text, out var invalidCharacters);
        var now = Sandbox.TimeProvider.GetUtcNow();
        lock (_lock)
        {
            XPost? parent = null;
            if (inReplyToId is not null)
            {
                parent = _posts.FirstOrDefault(p => p.Id == inReplyToId && !p.Deleted);
                if (parent is null)
                {
                    return new XCreateResult(null, 403, Problem(403, "Forbidden", "You attempted to reply to a Tweet that is deleted or not visible to you."));
                }
            }

            if ((length == 0 && media.Count == 0) || length > XWeightedLength.Max || invalidCharacters)
            {
                // The v2 status and wording for an over-long text are UNCONFIRMED (docs/platforms.md, X, "Errors"):
                // the sandbox answers a 400 invalid-request problem naming the weighted length.
                return new XCreateResult(null, 400, new
                {
                    errors = new[] { new { parameters = new { text = new[] { text } }, message = invalidCharacters
                        ? "Text contains characters X does not allow (U+FFFE, U+FEFF or U+FFFF)."
                        : $"Text has a weighted length of {length}; it must be between 1 and {XWeightedLength.Max}." } },
                    title = "Invalid Request",
                    detail = "One or more parameters to your request was invalid.",
                    type = "https://api.twitter.com/2/problems/invalid-request",
                });
            }

            if (_posts.Any(p => p.AuthorId == user.Id && !p.Deleted && p.Text == text && p.CreatedAt > now - DuplicateWindow))
            {
                return new XCreateResult(null, 403, new
                {
                    detail = "You are not allowed to create a Tweet with duplicate content.",
                    type = "about:blank",
                    title = "Forbidden",
                    status = 403,
                });
            }

            var id = NextId(now);
            var post = new XPost
            {
                Id = id,
                AuthorId = user.Id,
                Text = text,
                InReplyToId = parent?.Id,
                ConversationId = parent?.ConversationId ?? id,
                CreatedAt = now,
                WeightedLength = length,
                Media = media,
            };
            _posts.Add(post);
            Media.Attach(media);
            return new XCreateResult(post, 201, null);
        }
    }

    internal XPost? Find(string id)
    {
        lock (_lock)
        {
            return _posts.FirstOrDefault(p => p.Id == id && !p.Deleted);
        }
    }

    /// <summary>The user's posts, newest first.</summary>
    internal IReadOnlyList<XPost> Timeline(string userId)
    {
        lock (_lock)
        {
            return [.. _posts.Where(p => p.AuthorId == userId && !p.Deleted).OrderByDescending(p => long.Parse(p.Id, CultureInfo.InvariantCulture))];
        }
    }

    /// <summary>Deletes the caller's own post; false when it is not theirs or does not exist.</summary>
    internal bool Delete(XSandboxUser user, string id)
    {
        lock (_lock)
        {
            var post = _posts.FirstOrDefault(p => p.Id == id && !p.Deleted && p.AuthorId == user.Id);
            if (post is null)
            {
                return false;
            }

            post.Deleted = true;
            return true;
        }
    }

    internal static object Problem(int status, string title, string detail) =>
        new { title, detail, type = "about:blank", status };

    private XTokenPair IssueLocked(XSandboxUser user, string clientId)
    {
        var pair = new XTokenPair(NewToken(), NewToken(), Sandbox.TimeProvider.GetUtcNow() + Sandbox.Options.X.AccessTokenLifetime);
        _accessTokens[pair.AccessToken] = (user, pair.ExpiresAt, _clientScopes.GetValueOrDefault(clientId, DefaultScopes));
        _refreshTokens[pair.RefreshToken] = (user, clientId);
        return pair;
    }

    private string NewToken()
    {
        Span<byte> bytes = stackalloc byte[24];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)Sandbox.NextRandom(0, 256);
        }

        return Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');
    }

    /// <summary>A snowflake: milliseconds since X's epoch in the high bits, random low bits, always increasing.</summary>
    private string NextId(DateTimeOffset now)
    {
        var candidate = ((now.ToUnixTimeMilliseconds() - SnowflakeEpochMilliseconds) << 22) | (long)Sandbox.NextRandom(0, 1 << 22);
        _lastId = Math.Max(candidate, _lastId + 1 + Sandbox.NextRandom(0, 1 << 12));
        return _lastId.ToString(CultureInfo.InvariantCulture);
    }
}
