namespace Herald.Platforms.Checks;

/// <summary>Something Herald needs an account's credentials to do on its platform.</summary>
public enum AccountCapability
{
    /// <summary>Create a post (a thread's first part, an article).</summary>
    Post = 0,

    /// <summary>Chain a thread's later parts as replies, where the platform asks for more than posting does.</summary>
    Reply = 1,

    /// <summary>Attach images to a post.</summary>
    UploadImages = 2,

    /// <summary>Read the account's own posts back, to learn whether a send whose answer was lost made a post.</summary>
    ReadBack = 3,
}

/// <summary>Whether the credentials can do one <see cref="AccountCapability"/>, as far as the platform's answer tells.</summary>
public enum CapabilityAnswer
{
    /// <summary>The platform's answer shows they can (the scope is granted, or the credential carries full access).</summary>
    Yes = 0,

    /// <summary>The platform's answer shows they cannot (a scope is missing, the account is deactivated).</summary>
    No = 1,

    /// <summary>The platform does not say; the first call that needs it tells.</summary>
    Unknown = 2,
}

/// <summary>
/// One capability of an account's credentials: the answer, why (in Herald's words), the scopes it lacks (named as
/// the platform names them) and what to do about it.
/// </summary>
public sealed record CapabilityCheck(AccountCapability Capability, CapabilityAnswer Answer, string Reason)
{
    /// <summary>The scopes or permissions this capability lacks; empty unless <see cref="Answer"/> is <see cref="CapabilityAnswer.No"/>.</summary>
    public IReadOnlyList<string> MissingScopes { get; init; } = [];

    /// <summary>What to do so that the credentials can; null when nothing is to be done.</summary>
    public string? Fix { get; init; }

    /// <summary>The capability as people say it: "post", "upload images".</summary>
    public static string Describe(AccountCapability capability) => capability switch
    {
        AccountCapability.Post => "post",
        AccountCapability.Reply => "reply (threads)",
        AccountCapability.UploadImages => "upload images",
        _ => "read posts back",
    };

    /// <summary>What goes wrong when the credentials lack <paramref name="capability"/>.</summary>
    public static string Consequence(AccountCapability capability) => capability switch
    {
        AccountCapability.Post => "nothing can be posted",
        AccountCapability.Reply => "a thread stops after its first post",
        AccountCapability.UploadImages => "images cannot be posted",
        _ => "a send whose answer was lost cannot be looked up, so Herald asks you instead of resending",
    };

    public static CapabilityCheck Yes(AccountCapability capability, string reason) => new(capability, CapabilityAnswer.Yes, reason);

    public static CapabilityCheck Unknown(AccountCapability capability, string reason) => new(capability, CapabilityAnswer.Unknown, reason);
}

/// <summary>
/// A capability and the scopes it takes: every entry of <see cref="Needs"/> must be granted, and an entry lists
/// the scopes any one of which will do, the narrowest first (<c>["write:media", "write"]</c>).
/// </summary>
internal sealed record ScopeNeed(AccountCapability Capability, IReadOnlyList<string[]> Needs)
{
    public ScopeNeed(AccountCapability capability, params string[][] needs)
        : this(capability, (IReadOnlyList<string[]>)needs)
    {
    }
}

/// <summary>Judges the scopes a platform reported granted against what Herald needs of them.</summary>
internal static class ScopeJudge
{
    /// <summary>
    /// One <see cref="CapabilityCheck"/> per need: yes when each of its entries is granted, else no, naming the
    /// missing scopes and <paramref name="fix"/> of every scope Herald needs (how to get a token with them).
    /// </summary>
    public static IReadOnlyList<CapabilityCheck> Judge(
        IReadOnlyCollection<string> granted, IReadOnlyList<ScopeNeed> needs, string holder, Func<string, string> fix)
    {
        var set = new HashSet<string>(granted, StringComparer.Ordinal);
        var all = string.Join(", ", needs.SelectMany(n => n.Needs).Select(any => any[0]).Distinct(StringComparer.Ordinal));
        return [.. needs.Select(need =>
        {
            var missing = need.Needs.Where(any => !any.Any(set.Contains)).Select(any => any[0]).ToList();
            if (missing.Count == 0)
            {
                var held = need.Needs.Select(any => any.First(set.Contains)).Distinct(StringComparer.Ordinal);
                return CapabilityCheck.Yes(need.Capability, $"{holder} has {string.Join(", ", held)}.");
            }

            return new CapabilityCheck(need.Capability, CapabilityAnswer.No,
                $"{holder} lacks {string.Join(" and ", missing)}: {CapabilityCheck.Consequence(need.Capability)}.")
            {
                MissingScopes = missing,
                Fix = fix(all),
            };
        })];
    }

    /// <summary>The same <paramref name="reason"/> for every capability in <paramref name="needs"/>, as <paramref name="answer"/>.</summary>
    public static IReadOnlyList<CapabilityCheck> All(IEnumerable<AccountCapability> needs, CapabilityAnswer answer, string reason) =>
        [.. needs.Select(c => new CapabilityCheck(c, answer, reason))];

    /// <summary>Scopes as a platform writes them in one string: separated by spaces or commas.</summary>
    public static IReadOnlyList<string> Split(string? scopes) =>
        (scopes ?? "").Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>What credentials can do, in the words <c>herald accounts test</c>, <c>herald doctor</c> and the dashboard show.</summary>
public static class CapabilityText
{
    /// <summary>"post: yes, upload images: no (lacks write:media), read posts back: unknown".</summary>
    public static string Summary(IEnumerable<CapabilityCheck> capabilities) =>
        string.Join(", ", capabilities.Select(c => $"{CapabilityCheck.Describe(c.Capability)}: {Answer(c.Answer)}" +
            (c.MissingScopes.Count > 0 ? $" (lacks {string.Join(", ", c.MissingScopes)})" : "")));

    public static string Answer(CapabilityAnswer answer) => answer switch
    {
        CapabilityAnswer.Yes => "yes",
        CapabilityAnswer.No => "no",
        _ => "unknown",
    };

    /// <summary>Why each capability is not a plain yes: every distinct reason of a no, then of an unknown, once.</summary>
    public static IReadOnlyList<string> Reasons(IEnumerable<CapabilityCheck> capabilities) =>
        [.. capabilities.Where(c => c.Answer != CapabilityAnswer.Yes).OrderBy(c => c.Answer == CapabilityAnswer.Unknown)
            .Select(c => c.Reason).Distinct(StringComparer.Ordinal)];

    /// <summary>Every scope the capabilities lack, once each.</summary>
    public static IReadOnlyList<string> Missing(IEnumerable<CapabilityCheck> capabilities) =>
        [.. capabilities.SelectMany(c => c.MissingScopes).Distinct(StringComparer.Ordinal)];

    /// <summary>Credentials that work and lack nothing Herald needs (an unknown capability is not lacking).</summary>
    public static bool CanDoAll(AccountCheckVerdict verdict, IEnumerable<CapabilityCheck> capabilities) =>
        verdict == AccountCheckVerdict.Works && capabilities.All(c => c.Answer != CapabilityAnswer.No);

    /// <summary>What to do about the capabilities answered no, each fix once; null when none is.</summary>
    public static string? Fix(IEnumerable<CapabilityCheck> capabilities) =>
        capabilities.Where(c => c.Answer == CapabilityAnswer.No && c.Fix is not null).Select(c => c.Fix!).Distinct(StringComparer.Ordinal).ToList() is { Count: > 0 } fixes
            ? string.Join("; ", fixes)
            : null;
}
