using System.Globalization;
using Herald.Sandbox.Hosting;

namespace Herald.Sandbox.Mastodon;

/// <summary>
/// The simulated Mastodon instance: accounts (keyed by access token), statuses, the Idempotency-Key map
/// (kept one hour, docs/platforms.md, Mastodon) and the rate-limit windows. The instance's limits can be changed while
/// it runs, as an admin would.
/// </summary>
public sealed class MastodonState
{
    /// <summary>How long a repeated Idempotency-Key returns the status it made (docs/platforms.md, Mastodon).</summary>
    internal static readonly TimeSpan IdempotencyLifetime = TimeSpan.FromHours(1);

    private static readonly HashSet<string> Visibilities = ["public", "unlisted", "private", "direct"];

    private readonly Lock _lock = new();
    private readonly Dictionary<string, MastodonAccount> _accountsByToken = new(StringComparer.Ordinal);
    private readonly List<MastodonStatus> _statuses = [];
    private readonly Dictionary<(string AccountId, string Key), (MastodonStatus Status, DateTimeOffset Expires)> _idempotency = [];
    private readonly Dictionary<(string AccountId, string Family), (long Window, int Count)> _windows = [];
    private int _nextAccountId = 109_000;

    internal MastodonState(SandboxState sandbox)
    {
        Media = new MastodonMediaState(sandbox);
        Sandbox = sandbox;
        MaxCharacters = sandbox.Options.Mastodon.MaxCharacters;
        AddAccount(SandboxAccounts.MastodonToken, SandboxAccounts.MastodonUsername);
    }

    /// <summary><c>configuration.statuses.max_characters</c>; upstream's default is 500.</summary>
    public int MaxCharacters { get; set; }

    /// <summary><c>configuration.statuses.characters_reserved_per_url</c>; upstream's value is 23.</summary>
    public int CharactersReservedPerUrl { get; set; } = 23;

    internal SandboxState Sandbox { get; }

    /// <summary>The uploaded images.</summary>
    public MastodonMediaState Media { get; }

    /// <summary>Every status, in creation order.</summary>
    public IReadOnlyList<MastodonStatus> Statuses
    {
        get
        {
            lock (_lock)
            {
                return [.. _statuses];
            }
        }
    }

    /// <summary>
    /// Adds an account that authenticates with <paramref name="accessToken"/>, whose application has
    /// <paramref name="scopes"/> (default <c>read write</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The token is taken.</exception>
    public MastodonAccount AddAccount(string accessToken, string username, IReadOnlyList<string>? scopes = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        ArgumentException.ThrowIfNullOrEmpty(username);
        lock (_lock)
        {
            if (_accountsByToken.ContainsKey(accessToken))
            {
                throw new InvalidOperationException("A Mastodon sandbox account already has that access token.");
            }

            var account = new MastodonAccount((_nextAccountId++).ToString(CultureInfo.InvariantCulture), username, accessToken)
            {
                Scopes = scopes ?? ["read", "write"],
            };
            _accountsByToken[accessToken] = account;
            return account;
        }
    }

    internal MastodonAccount? FindAccount(string? accessToken)
    {
        if (string.IsNullOrEmpty(accessToken))
        {
            return null;
        }

        lock (_lock)
        {
            return _accountsByToken.GetValueOrDefault(accessToken);
        }
    }

    internal MastodonStatus? Find(string id)
    {
        lock (_lock)
        {
            return _statuses.FirstOrDefault(s => s.Id == id);
        }
    }

    internal IReadOnlyList<MastodonStatus> StatusesOf(string accountId)
    {
        lock (_lock)
        {
            return _statuses.Where(s => s.Account.Id == accountId).Reverse().ToList();
        }
    }

    /// <summary>
    /// Counts one request against the account's general limit (300 per 5 minutes by default, docs/platforms.md, Mastodon).
    /// Windows are aligned to multiples of their period, as Mastodon's RateLimiter keys them.
    /// </summary>
    internal MastodonRateWindow HitRequests(MastodonAccount account)
    {
        lock (_lock)
        {
            return Hit(account, "requests", Sandbox.Options.Mastodon.RequestsPerWindow, Sandbox.Options.Mastodon.RequestWindow);
        }
    }

    /// <summary>
    /// Creates a status the way <c>PostStatusService</c> does: a repeated Idempotency-Key returns the status it
    /// made (without counting), then validation, then the per-account status creation limit.
    /// </summary>
    internal MastodonCreateResult Create(MastodonAccount account, MastodonCreateInput input, string? idempotencyKey)
    {
        var now = Sandbox.TimeProvider.GetUtcNow();
        lock (_lock)
        {
            if (!string.IsNullOrEmpty(idempotencyKey) &&
                _idempotency.TryGetValue((account.Id, idempotencyKey), out var earlier) && earlier.Expires > now)
            {
                return new MastodonCreateResult(earlier.Status, 200, null, null);
            }

            var visibility = string.IsNullOrEmpty(input.Visibility) ? "public" : input.Visibility;
            IReadOnlyList<MastodonMedia> media = [];
            if (input.MediaIds.Count > 0)
            {
                var (found, error) = Media.ForStatus(account, input.MediaIds);
                if (error is not null)
                {
                    return new MastodonCreateResult(null, 422, error, null);
                }

                media = found!;
            }

            // A status with media may have no text.
            if (string.IsNullOrWhiteSpace(input.Status) && media.Count == 0)
            {
                return new MastodonCreateResult(null, 422, "Validation failed: Text can't be blank", null);
            }

            if (!Visibilities.Contains(visibility))
            {
                return new MastodonCreateResult(null, 422, "Validation failed: Visibility is not included in the list", null);
            }

            var length = MastodonTextLength.Count(input.SpoilerText ?? "", input.Status ?? "", CharactersReservedPerUrl);
            if (length > MaxCharacters)
            {
                return new MastodonCreateResult(
                    null, 422, string.Create(CultureInfo.InvariantCulture, $"Validation failed: Text character limit of {MaxCharacters} exceeded"), null);
            }

            if (input.InReplyToId is { Length: > 0 } replyTo && !_statuses.Any(s => s.Id == replyTo))
            {
                return new MastodonCreateResult(null, 404, "Record not found", null);
            }

            var window = Hit(account, "statuses", Sandbox.Options.Mastodon.StatusesPerWindow, Sandbox.Options.Mastodon.StatusWindow);
            if (window.Exceeded)
            {
                return new MastodonCreateResult(null, 429, "Too many requests", window);
            }

            var status = new MastodonStatus
            {
                Id = NewId(now),
                Account = account,
                Text = input.Status ?? "",
                Media = media,
                InReplyToId = string.IsNullOrEmpty(input.InReplyToId) ? null : input.InReplyToId,
                Visibility = visibility,
                SpoilerText = input.SpoilerText ?? "",
                Language = input.Language,
                IdempotencyKey = idempotencyKey,
                CreatedAt = now,
            };
            _statuses.Add(status);
            Media.Attach(media, status.Id);
            if (!string.IsNullOrEmpty(idempotencyKey))
            {
                _idempotency[(account.Id, idempotencyKey)] = (status, now + IdempotencyLifetime);
            }

            return new MastodonCreateResult(status, 200, null, window);
        }
    }

    /// <summary>Counts one upload against the account's media limit (30 per 30 minutes by default).</summary>
    internal MastodonRateWindow HitMedia(MastodonAccount account)
    {
        lock (_lock)
        {
            return Hit(account, "media", Sandbox.Options.Mastodon.MediaPerWindow, Sandbox.Options.Mastodon.MediaWindow);
        }
    }

    /// <summary>Adds one hit; <see cref="MastodonRateWindow.Remaining"/> goes below zero when the limit is passed.</summary>
    private MastodonRateWindow Hit(MastodonAccount account, string family, int limit, TimeSpan period)
    {
        var now = Sandbox.TimeProvider.GetUtcNow();
        var window = now.ToUnixTimeMilliseconds() / (long)period.TotalMilliseconds;
        var reset = DateTimeOffset.FromUnixTimeMilliseconds((window + 1) * (long)period.TotalMilliseconds);
        if (Sandbox.Options.DisableRateLimits)
        {
            return new MastodonRateWindow(limit, limit, reset);
        }

        var count = _windows.TryGetValue((account.Id, family), out var current) && current.Window == window ? current.Count : 0;
        if (count >= limit)
        {
            return new MastodonRateWindow(limit, -1, reset);
        }

        _windows[(account.Id, family)] = (window, count + 1);
        return new MastodonRateWindow(limit, limit - count - 1, reset);
    }

    /// <summary>A Mastodon snowflake: the creation time in milliseconds, shifted 16 bits, plus a random sequence.</summary>
    private string NewId(DateTimeOffset now)
    {
        while (true)
        {
            var id = ((now.ToUnixTimeMilliseconds() << 16) | (long)Sandbox.NextRandom(0, 1 << 16)).ToString(CultureInfo.InvariantCulture);
            if (!_statuses.Any(s => s.Id == id))
            {
                return id;
            }
        }
    }
}
