using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Herald.Sandbox.Hosting;

namespace Herald.Sandbox.Bluesky;

/// <summary>
/// The simulated PDS: accounts (handle, DID, app password), the sessions it issued (JWT-looking tokens that
/// expire on the sandbox clock), every repository's records, and write points per DID and hour.
/// </summary>
public sealed partial class BlueskyState
{
    internal const string PostCollection = "app.bsky.feed.post";
    private const string Base32 = "abcdefghijklmnopqrstuvwxyz234567";
    private const string SortableBase32 = "234567abcdefghijklmnopqrstuvwxyz";
    private const int CreatePoints = 3;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, BlueskyAccount> _byHandle = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, BlueskyAccount> _byDid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BlueskyToken> _tokens = new(StringComparer.Ordinal);
    private readonly List<BlueskyRecord> _records = [];
    private readonly Dictionary<string, (long Window, int Points)> _writePoints = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Window, int Count)> _logins = new(StringComparer.Ordinal);

    internal BlueskyState(SandboxState sandbox)
    {
        Blobs = new BlueskyBlobs(sandbox);
        Sandbox = sandbox;
        AddAccount(SandboxAccounts.BlueskyHandle, SandboxAccounts.BlueskyAppPassword, SandboxAccounts.BlueskyDid);

        // Well-known handles, so mentions of them resolve (their real DIDs).
        AddAccount("atproto.com", "no-login-here", "did:plc:ewvi7nxzyoun6zhxrhs64oiz");
        AddAccount("bsky.app", "no-login-here", "did:plc:z72i7hdynmk6r22z27h6tvur");
    }

    internal SandboxState Sandbox { get; }

    /// <summary>Every record, in creation order.</summary>
    public IReadOnlyList<BlueskyRecord> Records
    {
        get
        {
            lock (_lock)
            {
                return [.. _records];
            }
        }
    }

    /// <summary>Adds an account; its DID is made up unless given.</summary>
    /// <exception cref="InvalidOperationException">The handle or DID is taken.</exception>
    public BlueskyAccount AddAccount(string handle, string appPassword, string? did = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(handle);
        ArgumentException.ThrowIfNullOrEmpty(appPassword);
        lock (_lock)
        {
            did ??= "did:plc:" + string.Concat(Enumerable.Range(0, 24).Select(_ => Base32[Sandbox.NextRandom(0, 32)]));
            if (_byHandle.ContainsKey(handle) || _byDid.ContainsKey(did))
            {
                throw new InvalidOperationException($"A Bluesky sandbox account already has the handle {handle} or the DID {did}.");
            }

            var account = new BlueskyAccount(did, handle.ToLowerInvariant(), appPassword);
            _byHandle[account.Handle] = account;
            _byDid[did] = account;
            return account;
        }
    }

    internal BlueskyAccount? FindByHandleOrDid(string? identifier)
    {
        if (string.IsNullOrEmpty(identifier))
        {
            return null;
        }

        lock (_lock)
        {
            return _byDid.GetValueOrDefault(identifier) ?? _byHandle.GetValueOrDefault(identifier.TrimStart('@'));
        }
    }

    internal string? HandleOf(string did)
    {
        lock (_lock)
        {
            return _byDid.GetValueOrDefault(did)?.Handle;
        }
    }

    /// <summary>
    /// Logs in with a handle (or DID) and app password: a new access and refresh token, or null when they do not
    /// match. <paramref name="limited"/> is set when the account passed 30 logins in 5 minutes (docs/platforms.md, Bluesky).
    /// </summary>
    internal (BlueskyAccount Account, string Access, string Refresh)? CreateSession(string? identifier, string? password, out bool limited)
    {
        limited = false;
        var account = FindByHandleOrDid(identifier);
        if (account is null || !string.Equals(account.AppPassword, password, StringComparison.Ordinal))
        {
            return null;
        }

        lock (_lock)
        {
            var window = Sandbox.TimeProvider.GetUtcNow().ToUnixTimeSeconds() / 300;
            var count = _logins.TryGetValue(account.Did, out var logins) && logins.Window == window ? logins.Count : 0;
            if (!Sandbox.Options.DisableRateLimits && count >= 30)
            {
                limited = true;
                return null;
            }

            _logins[account.Did] = (window, count + 1);
            return (account, IssueToken(account, refresh: false), IssueToken(account, refresh: true));
        }
    }

    /// <summary>Swaps a valid refresh token for a new pair; the old refresh token is spent.</summary>
    internal (BlueskyAccount Account, string Access, string Refresh)? RefreshSession(string token, out string? error)
    {
        lock (_lock)
        {
            error = Check(token, refresh: true, out var account);
            if (error is not null)
            {
                return null;
            }

            _tokens.Remove(token);
            return (account!, IssueToken(account!, refresh: false), IssueToken(account!, refresh: true));
        }
    }

    /// <summary>The account an access token belongs to, or the XRPC error name: <c>ExpiredToken</c> or <c>InvalidToken</c>.</summary>
    internal BlueskyAccount? Authenticate(string token, out string? error)
    {
        lock (_lock)
        {
            error = Check(token, refresh: false, out var account);
            return account;
        }
    }

    /// <summary>
    /// Spends create points; the window is one hour, aligned to the hour. With rate limits off nothing is spent, so
    /// the window never runs out (the headers it would give are removed by the traffic middleware).
    /// </summary>
    internal BlueskyRateWindow SpendWritePoints(BlueskyAccount account)
    {
        var now = Sandbox.TimeProvider.GetUtcNow();
        var limit = Sandbox.Options.Bluesky.WritePointsPerHour;
        var window = now.ToUnixTimeSeconds() / 3600;
        var reset = DateTimeOffset.FromUnixTimeSeconds((window + 1) * 3600);
        if (Sandbox.Options.DisableRateLimits)
        {
            return new BlueskyRateWindow(limit, limit, reset, 3600);
        }

        lock (_lock)
        {
            var used = _writePoints.TryGetValue(account.Did, out var points) && points.Window == window ? points.Points : 0;
            if (used + CreatePoints > limit)
            {
                return new BlueskyRateWindow(limit, -1, reset, 3600);
            }

            _writePoints[account.Did] = (window, used + CreatePoints);
            return new BlueskyRateWindow(limit, limit - used - CreatePoints, reset, 3600);
        }
    }

    /// <summary>
    /// Writes a post as createRecord does: validation first, then the record key — a taken key fails as the
    /// repository's MST refuses it (docs/platforms.md, Bluesky leaves the status UNCONFIRMED, "likely 500/400"; the sandbox
    /// answers 500 InternalServerError with the MST's message, so clients must not take a 5xx as "not written").
    /// </summary>
    /// <summary>The uploaded blobs.</summary>
    public BlueskyBlobs Blobs { get; }

    internal BlueskyWriteResult CreateRecord(BlueskyAccount account, string collection, string? recordKey, JsonElement record)
    {
        if (collection != PostCollection)
        {
            return new BlueskyWriteResult(null, 400, "InvalidRequest", $"The sandbox holds {PostCollection} records only, not {collection}");
        }

        if (!record.TryGetProperty("$type", out var type) || type.GetString() != PostCollection)
        {
            return new BlueskyWriteResult(null, 400, "InvalidRequest", $"Invalid $type: expected {PostCollection}");
        }

        if (recordKey is not null && !Tid().IsMatch(recordKey))
        {
            return new BlueskyWriteResult(null, 400, "InvalidRequest", $"Invalid record key for a tid collection: {recordKey}");
        }

        if (BlueskyRichText.Validate(record, HandleOf) is { } invalid)
        {
            return new BlueskyWriteResult(null, 400, "InvalidRequest", $"Invalid {PostCollection} record: {invalid}");
        }

        if (Blobs.Check(account, record) is { } badEmbed)
        {
            return new BlueskyWriteResult(null, 400, badEmbed.Error, badEmbed.Message);
        }

        lock (_lock)
        {
            if (record.TryGetProperty("reply", out var reply) && CheckReply(reply) is { } badReply)
            {
                return new BlueskyWriteResult(null, 400, "InvalidRequest", $"Invalid {PostCollection} record: {badReply}");
            }

            recordKey ??= NewTid();
            if (_records.Any(r => r.Did == account.Did && r.Collection == collection && r.RecordKey == recordKey))
            {
                return new BlueskyWriteResult(null, 500, "InternalServerError", $"There is already a value at key: {collection}/{recordKey}");
            }

            var json = record.GetRawText();
            var created = new BlueskyRecord
            {
                Did = account.Did,
                Collection = collection,
                RecordKey = recordKey,
                Cid = Cid(json),
                Json = json,
                Text = record.GetProperty("text").GetString()!,
                IndexedAt = Sandbox.TimeProvider.GetUtcNow(),
            };
            _records.Add(created);
            Blobs.Keep(account, record);
            return new BlueskyWriteResult(created, 200, null, null);
        }
    }

    internal BlueskyRecord? Find(string did, string collection, string recordKey)
    {
        lock (_lock)
        {
            return _records.FirstOrDefault(r => r.Did == did && r.Collection == collection && r.RecordKey == recordKey);
        }
    }

    /// <summary>A repository's records of one collection, newest key first unless <paramref name="reverse"/>.</summary>
    internal IReadOnlyList<BlueskyRecord> List(string did, string collection, bool reverse)
    {
        lock (_lock)
        {
            var records = _records.Where(r => r.Did == did && r.Collection == collection);
            return (reverse
                ? records.OrderBy(r => r.RecordKey, StringComparer.Ordinal)
                : records.OrderByDescending(r => r.RecordKey, StringComparer.Ordinal)).ToList();
        }
    }

    /// <summary>A new TID from the sandbox clock: microseconds since the epoch, then 10 random bits.</summary>
    internal string NewTid()
    {
        var micros = Sandbox.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
        while (true)
        {
            var value = (micros << 10) | (long)Sandbox.NextRandom(0, 1024);
            var chars = new char[13];
            for (var i = 12; i >= 0; i--)
            {
                chars[i] = SortableBase32[(int)(value & 31)];
                value >>= 5;
            }

            var tid = new string(chars);
            if (!_records.Any(r => r.RecordKey == tid))
            {
                return tid;
            }

            micros++;
        }
    }

    /// <summary>
    /// Both references of a reply must name records the sandbox holds, with their current CIDs. Bluesky's PDS
    /// does not check this (the AppView would show a broken thread); the sandbox does, to catch wrong refs.
    /// </summary>
    private string? CheckReply(JsonElement reply)
    {
        foreach (var name in new[] { "root", "parent" })
        {
            if (!reply.TryGetProperty(name, out var reference) ||
                !reference.TryGetProperty("uri", out var uri) || uri.ValueKind != JsonValueKind.String ||
                !reference.TryGetProperty("cid", out var cid) || cid.ValueKind != JsonValueKind.String)
            {
                return $"Record/reply/{name} must be a strongRef with uri and cid";
            }

            var target = _records.FirstOrDefault(r => r.Uri == uri.GetString());
            if (target is null || target.Cid != cid.GetString())
            {
                return $"Record/reply/{name} names no record with that uri and cid: {uri.GetString()}";
            }
        }

        return null;
    }

    private string? Check(string token, bool refresh, out BlueskyAccount? account)
    {
        account = null;
        if (!_tokens.TryGetValue(token, out var issued) || issued.IsRefresh != refresh)
        {
            return "InvalidToken";
        }

        if (issued.Expires <= Sandbox.TimeProvider.GetUtcNow())
        {
            return "ExpiredToken";
        }

        account = _byDid[issued.Did];
        return null;
    }

    /// <summary>A JWT look-alike: header, claims (scope, sub = DID, iat, exp) and random bytes as the signature.</summary>
    private string IssueToken(BlueskyAccount account, bool refresh)
    {
        var now = Sandbox.TimeProvider.GetUtcNow();
        var expires = now + (refresh ? Sandbox.Options.Bluesky.RefreshTokenLifetime : Sandbox.Options.Bluesky.AccessTokenLifetime);
        var header = Base64Url(Encoding.UTF8.GetBytes(refresh ? """{"typ":"refresh+jwt","alg":"ES256K"}""" : """{"typ":"at+jwt","alg":"ES256K"}"""));
        var claims = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new
        {
            scope = refresh ? "com.atproto.refresh" : "com.atproto.access",
            sub = account.Did,
            iat = now.ToUnixTimeSeconds(),
            exp = expires.ToUnixTimeSeconds(),
        }));
        var signature = new byte[32];
        for (var i = 0; i < signature.Length; i++)
        {
            signature[i] = (byte)Sandbox.NextRandom(0, 256);
        }

        var token = $"{header}.{claims}.{Base64Url(signature)}";
        _tokens[token] = new BlueskyToken(account.Did, refresh, expires);
        return token;
    }

    /// <summary>
    /// A real CIDv1 string: multibase "b" (base32, lower case, no padding) of version 1, codec dag-cbor (0x71) and a
    /// sha2-256 multihash (0x12, 32 bytes). The digest is of the record's JSON rather than its DAG-CBOR encoding, which
    /// no client can tell; the syntax is what Bluesky's lexicon validator checks in a strongRef.
    /// </summary>
    private static string Cid(string json) => CidV1(0x71, SHA256.HashData(Encoding.UTF8.GetBytes(json)));

    /// <summary>A CIDv1 string of a sha2-256 <paramref name="digest"/> with <paramref name="codec"/> (0x71 dag-cbor, 0x55 raw bytes).</summary>
    internal static string CidV1(byte codec, byte[] digest)
    {
        byte[] cid = [0x01, codec, 0x12, 0x20, .. digest];
        var text = new StringBuilder("b");
        int buffer = 0, bits = 0;
        foreach (var b in cid)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                text.Append(Base32[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            text.Append(Base32[(buffer << (5 - bits)) & 31]);
        }

        return text.ToString();
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex Tid();
}
