using Herald.Accounts;
using Herald.Cli.Configuration;
using Herald.Platforms.Checks;
using Herald.Publications;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Cli.Accounts;

/// <summary>
/// Asks each account's platform (or the sandbox) whose its credentials are, with the platforms' who-am-I checks
/// (<see cref="AccountChecker"/>, as the server's <c>POST /api/v1/accounts/{id}/test</c>): what <c>herald accounts
/// test</c> and <c>herald doctor</c> report.
/// </summary>
internal static class AccountTester
{
    public sealed record Tested(KnownAccount Known, AccountCheckResult Result)
    {
        public bool Works => Result.Verdict == AccountCheckVerdict.Works;

        /// <summary>✓ works and lacks nothing Herald needs, ⚠ works but lacks something, ✗ does not work.</summary>
        public string Mark => Result.CanDoAll ? "✓" : Works ? "⚠" : "✗";
    }

    public static async Task<List<Tested>> TestAsync(
        IServiceProvider services, IConfiguration configuration, bool sandbox, IEnumerable<KnownAccount> accounts, CancellationToken cancellationToken)
    {
        var list = accounts.ToList();
        await using var server = sandbox && list.Count > 0 ? await SandboxConnection.OpenAsync(configuration, cancellationToken) : null;
        var checker = services.GetRequiredService<AccountChecker>();
        var results = new List<Tested>();
        foreach (var known in list)
        {
            var effective = await EffectiveAsync(services, known, cancellationToken);
            var callable = server is not null && SandboxAccountMarker.IsSandbox(effective)
                ? SandboxAccountMarker.WithBaseUrl(effective, server.PlatformBaseUrl(effective.Platform))
                : effective;
            results.Add(new Tested(known, await checker.CheckAsync(callable, cancellationToken)));
        }

        return results;
    }

    /// <summary>The line a person reads: whose the credentials are, or what went wrong.</summary>
    public static string Describe(AccountCheckResult result) => result.Verdict switch
    {
        AccountCheckVerdict.Works => (result.CanDoAll ? "works: " : "works, but cannot do all Herald needs: ") + result.Detail +
            (result.Identity ?? result.IdentityId) switch { null => "", _ => $" They belong to {Who(result)}." },
        AccountCheckVerdict.CredentialsRefused => $"credentials refused: {result.Detail}",
        AccountCheckVerdict.Unreachable => $"platform unreachable: {result.Detail}",
        _ => $"unexpected answer: {result.Detail}",
    };

    /// <summary>
    /// What the credentials can do, as lines under the account's: the capabilities, then why any is not a yes
    /// (none when the check did not reach the platform).
    /// </summary>
    public static IReadOnlyList<string> Capabilities(AccountCheckResult result) => result.Capabilities.Count == 0
        ? []
        : [$"can {CapabilityText.Summary(result.Capabilities)}", .. CapabilityText.Reasons(result.Capabilities)];

    /// <summary>What to do about a result that is not a working account, or one that lacks something Herald needs.</summary>
    public static string? Fix(KnownAccount known, AccountCheckResult result, bool sandbox) => result.Verdict switch
    {
        AccountCheckVerdict.Works => CapabilityText.Fix(result.Capabilities),
        AccountCheckVerdict.CredentialsRefused when known.Source == AccountSource.Configuration =>
            $"correct the credentials in the configuration ({Herald.Storage.Accounts.ConfiguredAccount.SectionPath(known.Account.Platform)})",
        AccountCheckVerdict.CredentialsRefused =>
            $"enter them again: herald accounts remove {known.Name}{Flag(sandbox)}, then herald accounts add {known.Name}{Flag(sandbox)}",
        AccountCheckVerdict.Unreachable => "check the network (or that the platform is up), then test again",
        _ => "run it again with --verbose; if it stays, the platform's answer changed",
    };

    private static string Flag(bool sandbox) => sandbox ? " --sandbox" : "";

    /// <summary>
    /// A configured (or the sandbox's own) account as a post would use it: stored first, as every post stores it, so
    /// that credentials the platform renewed since (an OAuth 2 pair) are the ones tested unless the configured values
    /// changed, and a check that renews them (a Bluesky session) has a row to keep them in.
    /// </summary>
    private static async Task<Account> EffectiveAsync(IServiceProvider services, KnownAccount known, CancellationToken cancellationToken)
    {
        if (known.Source == AccountSource.Stored)
        {
            return known.Account;
        }

        await services.MigrateHeraldDatabaseAsync(cancellationToken);
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IPublicationStore>().UpsertAccountAsync(known.Account, cancellationToken);
    }

    private static string Who(AccountCheckResult result) =>
        result.Identity is { } identity && result.IdentityId is { } id && id != identity ? $"{identity} (id {id})" : result.Identity ?? result.IdentityId!;
}
