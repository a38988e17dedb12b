using System.Collections.Frozen;

namespace Herald.Platforms.Bluesky;

/// <summary>
/// The top-level domains the Bluesky app's facet detection knows (the npm <c>tlds</c> list, generated into
/// BlueskyTopLevelDomains.g.cs; docs/counting.md). It differs from the list twitter-text carries, so X and Bluesky
/// each keep their own.
/// </summary>
internal static partial class BlueskyTopLevelDomains
{
    private static readonly FrozenSet<string> Set =
        List.Split((char[])[' ', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// Whether <paramref name="name"/> ends in a dot and a listed top-level domain, compared as written: the app's check
    /// is case-sensitive, so <c>EXAMPLE.COM</c> is no domain to it.
    /// </summary>
    public static bool IsValidDomain(string name)
    {
        var dot = name.LastIndexOf('.');
        return dot >= 0 && Set.Contains(name[(dot + 1)..]);
    }
}
