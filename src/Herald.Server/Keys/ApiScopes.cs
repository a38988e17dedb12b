namespace Herald.Server.Keys;

/// <summary>
/// What an API key may do. <c>read</c>: look; <c>write</c>: post and change publications, contents and accounts
/// (and read); <c>admin</c>: manage API keys and the jobs dashboard (and everything else).
/// </summary>
public static class ApiScopes
{
    public const string Read = "read";

    public const string Write = "write";

    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Read, Write, Admin];

    /// <summary>The claim type that carries one scope of the authenticated key.</summary>
    public const string ClaimType = "herald:scope";

    /// <summary>The claim type that carries the key's id (the rate limiter's partition).</summary>
    public const string KeyIdClaimType = "herald:key";

    /// <summary>The scopes a key with <paramref name="granted"/> holds: admin implies write, write implies read.</summary>
    public static IReadOnlySet<string> Expand(IEnumerable<string> granted)
    {
        var set = new HashSet<string>(granted, StringComparer.Ordinal);
        if (set.Contains(Admin))
        {
            set.Add(Write);
        }

        if (set.Contains(Write))
        {
            set.Add(Read);
        }

        return set;
    }
}
