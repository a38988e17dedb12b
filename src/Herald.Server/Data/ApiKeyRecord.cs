namespace Herald.Server.Data;

/// <summary>
/// An API key as stored: never the key itself, only its SHA-256 hash (the key is 256 random bits, so a fast hash is
/// as good as a slow one) and a short prefix that lets a person tell keys apart.
/// </summary>
internal sealed class ApiKeyRecord
{
    public Guid Id { get; set; }

    public string Name { get; set; } = "";

    /// <summary>The first characters of the key (<c>hk_AbCd1234</c>), shown in lists.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>SHA-256 of the whole key, lower-case hex.</summary>
    public string Hash { get; set; } = "";

    /// <summary>Comma-separated scopes: <c>read</c>, <c>write</c>, <c>admin</c>.</summary>
    public string Scopes { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}
