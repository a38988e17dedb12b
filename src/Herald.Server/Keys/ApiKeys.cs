using System.Security.Cryptography;
using System.Text;
using Herald.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Herald.Server.Keys;

/// <summary>An API key as listed: never the key itself.</summary>
public sealed record ApiKeyInfo(Guid Id, string Name, string Prefix, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

/// <summary>A key just created: <see cref="Key"/> is shown this once and never again.</summary>
public sealed record CreatedApiKey(ApiKeyInfo Info, string Key);

/// <summary>A key that authenticated a request.</summary>
public sealed record AuthenticatedKey(Guid Id, string Name, IReadOnlySet<string> Scopes);

/// <summary>A name or scope Herald refuses for a key; the message names the field and the rule.</summary>
public sealed class ApiKeyInputException(string field, string message) : Exception($"{field}: {message}")
{
    public string Field { get; } = field;

    public string Rule { get; } = message;
}

/// <summary>
/// API keys (<c>hk_</c> + 256 random bits, base64url): created, listed, revoked and checked. Only the SHA-256 hash is
/// stored; the key is shown once at creation.
/// </summary>
public sealed class ApiKeys
{
    public const string KeyPrefix = "hk_";

    // Writing last-used on every request would turn each read into a write; once a minute is enough to see use.
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    private readonly ServerDbContext _db;
    private readonly TimeProvider _timeProvider;
    private readonly ApiKeyCache? _cache;

    internal ApiKeys(ServerDbContext db, TimeProvider timeProvider, ApiKeyCache? cache = null)
    {
        _db = db;
        _timeProvider = timeProvider;
        _cache = cache;
    }

    public async Task<CreatedApiKey> CreateAsync(string name, IReadOnlyCollection<string> scopes, CancellationToken cancellationToken = default)
    {
        var trimmed = name.Trim();
        if (trimmed.Length is 0 or > 200)
        {
            throw new ApiKeyInputException("name", "must be 1 to 200 characters");
        }

        if (scopes.Count == 0)
        {
            throw new ApiKeyInputException("scopes", $"name at least one of {string.Join(", ", ApiScopes.All)}");
        }

        if (scopes.FirstOrDefault(s => !ApiScopes.All.Contains(s)) is { } unknown)
        {
            throw new ApiKeyInputException("scopes", $"unknown scope '{unknown}'; known scopes: {string.Join(", ", ApiScopes.All)}");
        }

        var key = KeyPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var record = new ApiKeyRecord
        {
            Id = Guid.CreateVersion7(),
            Name = trimmed,
            Prefix = key[..11],
            Hash = Hash(key),
            Scopes = string.Join(',', ApiScopes.All.Where(scopes.Contains)),
            CreatedAt = _timeProvider.GetUtcNow(),
        };
        _db.ApiKeys.Add(record);
        await _db.SaveChangesAsync(cancellationToken);
        return new CreatedApiKey(ToInfo(record), key);
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        var records = await _db.ApiKeys.AsNoTracking().ToListAsync(cancellationToken);
        return [.. records.OrderBy(r => r.CreatedAt).Select(ToInfo)];
    }

    /// <summary>Revokes the key with <paramref name="idOrPrefix"/> (its id, or its shown prefix); false when there is none.</summary>
    public async Task<ApiKeyInfo?> RevokeAsync(string idOrPrefix, CancellationToken cancellationToken = default)
    {
        var records = Guid.TryParse(idOrPrefix, out var id)
            ? await _db.ApiKeys.Where(k => k.Id == id).ToListAsync(cancellationToken)
            : await _db.ApiKeys.Where(k => k.Prefix == idOrPrefix).ToListAsync(cancellationToken);
        if (records.Count != 1)
        {
            return null;
        }

        var record = records[0];
        record.RevokedAt ??= _timeProvider.GetUtcNow();
        await _db.SaveChangesAsync(cancellationToken);
        _cache?.Forget(record.Id);
        return ToInfo(record);
    }

    /// <summary>
    /// The key's owner and scopes as the database has them, or null when it is unknown or revoked; the answer is recorded
    /// in the cache, which the authentication handler reads before it comes here.
    /// </summary>
    public async Task<AuthenticatedKey?> AuthenticateAsync(string key, CancellationToken cancellationToken = default)
    {
        if (HashOf(key) is not { } hash)
        {
            return null;
        }

        var ticket = _cache?.Ask();
        var record = await _db.ApiKeys.FirstOrDefaultAsync(k => k.Hash == hash, cancellationToken);
        AuthenticatedKey? authenticated = null;
        if (record is { RevokedAt: null })
        {
            var now = _timeProvider.GetUtcNow();
            if (record.LastUsedAt is not { } used || now - used >= LastUsedResolution)
            {
                record.LastUsedAt = now;
                await _db.SaveChangesAsync(cancellationToken);
            }

            authenticated = new AuthenticatedKey(record.Id, record.Name, ApiScopes.Expand(record.Scopes.Split(',', StringSplitOptions.RemoveEmptyEntries)));
        }

        if (ticket is { } asked)
        {
            _cache!.Confirmed(hash, authenticated, asked);
        }

        return authenticated;
    }

    /// <summary>The hash a key is stored and cached by; null for what cannot be a key (wrong prefix, too long).</summary>
    internal static string? HashOf(string key) =>
        key.StartsWith(KeyPrefix, StringComparison.Ordinal) && key.Length <= 100 ? Hash(key) : null;

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static ApiKeyInfo ToInfo(ApiKeyRecord r) =>
        new(r.Id, r.Name, r.Prefix, r.Scopes.Split(',', StringSplitOptions.RemoveEmptyEntries), r.CreatedAt, r.LastUsedAt, r.RevokedAt);
}
