namespace Herald.Sandbox.Bluesky;

/// <summary>An account of the simulated PDS: a handle, its DID, and the app password it logs in with.</summary>
public sealed record BlueskyAccount(string Did, string Handle, string AppPassword)
{
    /// <summary>
    /// Null for an active account; else why it is not (<c>deactivated</c>, <c>suspended</c>, <c>takendown</c>): its
    /// session says <c>active: false</c> with this <c>status</c>, its writes are refused, and a takendown account
    /// cannot log in.
    /// </summary>
    public string? Status { get; set; }

    /// <summary>Never prints the password.</summary>
    public override string ToString() => $"{Handle} ({Did})";
}

/// <summary>A record the simulated PDS holds.</summary>
public sealed record BlueskyRecord
{
    public required string Did { get; init; }

    public required string Collection { get; init; }

    public required string RecordKey { get; init; }

    /// <summary><c>at://{did}/{collection}/{rkey}</c>.</summary>
    public string Uri => $"at://{Did}/{Collection}/{RecordKey}";

    /// <summary>A CIDv1 (dag-cbor, sha2-256, base32: <c>bafyrei…</c>) of the record's JSON.</summary>
    public required string Cid { get; init; }

    /// <summary>The record exactly as sent (the <c>record</c> object's JSON).</summary>
    public required string Json { get; init; }

    /// <summary>The post's <c>text</c>.</summary>
    public required string Text { get; init; }

    public required DateTimeOffset IndexedAt { get; init; }
}

/// <summary>A token the simulated PDS issued.</summary>
internal sealed record BlueskyToken(string Did, bool IsRefresh, DateTimeOffset Expires);

/// <summary>What a write came to: the record, or an XRPC error (status, name, message).</summary>
internal sealed record BlueskyWriteResult(BlueskyRecord? Record, int Status, string? Error, string? Message);

/// <summary>A write-points window as the <c>RateLimit-*</c> headers show it.</summary>
internal sealed record BlueskyRateWindow(int Limit, int Remaining, DateTimeOffset Reset, int WindowSeconds)
{
    public bool Exceeded => Remaining < 0;
}
