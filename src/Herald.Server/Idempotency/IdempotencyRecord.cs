namespace Herald.Server.Idempotency;

/// <summary>
/// One <c>Idempotency-Key</c> of one API key: a hash of the request it came with and, once answered, the answer to
/// replay. Never the request body itself (it may hold credentials).
/// </summary>
internal sealed class IdempotencyRecord
{
    /// <summary>The API key that sent it: keys of different clients never collide.</summary>
    public Guid ApiKeyId { get; set; }

    public string Key { get; set; } = "";

    /// <summary>SHA-256 of method, path, query and body, lower-case hex.</summary>
    public string RequestHash { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Null while the first request is still being answered.</summary>
    public int? StatusCode { get; set; }

    public string? ContentType { get; set; }

    public string? Location { get; set; }

    public string? Body { get; set; }
}
