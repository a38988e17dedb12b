namespace Herald.Sandbox.Mastodon;

/// <summary>An account of the simulated instance, known by its access token.</summary>
public sealed record MastodonAccount(string Id, string Username, string AccessToken)
{
    /// <summary>A disabled (or unconfirmed) login: every call is refused with 403.</summary>
    public bool Disabled { get; set; }

    /// <summary>
    /// The OAuth scopes of the token's application, as <c>GET /api/v1/apps/verify_credentials</c> lists them; calls
    /// outside them are refused with 403. <c>read</c> and <c>write</c> cover every <c>read:…</c> and <c>write:…</c>.
    /// </summary>
    public IReadOnlyList<string> Scopes { get; init; } = ["read", "write"];

    /// <summary>Whether the token may make a call that takes any of <paramref name="scopes"/> (or their parent).</summary>
    public bool Allows(params string[] scopes) =>
        scopes.Any(scope => Scopes.Contains(scope) || (scope.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon && Scopes.Contains(scope[..colon])));

    /// <summary>Never prints the token.</summary>
    public override string ToString() => "@" + Username;
}

/// <summary>A status the simulated instance accepted.</summary>
public sealed record MastodonStatus
{
    /// <summary>A snowflake id: milliseconds since the epoch, shifted left 16 bits, plus a sequence.</summary>
    public required string Id { get; init; }

    public required MastodonAccount Account { get; init; }

    /// <summary>The <c>status</c> text exactly as sent.</summary>
    public required string Text { get; init; }

    public string? InReplyToId { get; init; }

    public required string Visibility { get; init; }

    public string SpoilerText { get; init; } = "";

    public string? Language { get; init; }

    /// <summary>The images attached to it, in order.</summary>
    public IReadOnlyList<MastodonMedia> Media { get; init; } = [];

    /// <summary>The <c>Idempotency-Key</c> it was created with, if any.</summary>
    public string? IdempotencyKey { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>The fields of a create request the simulator reads.</summary>
internal sealed record MastodonCreateInput(string? Status, string? InReplyToId, string? Visibility, string? SpoilerText, string? Language)
{
    /// <summary>The <c>media_ids</c> to attach.</summary>
    public IReadOnlyList<string> MediaIds { get; init; } = [];
}

/// <summary>A rate-limit window as the <c>X-RateLimit-*</c> headers show it.</summary>
internal sealed record MastodonRateWindow(int Limit, int Remaining, DateTimeOffset Reset)
{
    public bool Exceeded => Remaining < 0;
}

/// <summary>What a create came to: the status (new, or the one an Idempotency-Key already made), or an error.</summary>
internal sealed record MastodonCreateResult(MastodonStatus? Status, int HttpStatus, string? Error, MastodonRateWindow? Window);
