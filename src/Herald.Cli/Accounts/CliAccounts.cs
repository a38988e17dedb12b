using Herald.Accounts;
using Herald.Cli.Configuration;
using Herald.Platforms;
using Herald.Sandbox.Hosting;
using Herald.Storage.Accounts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Cli.Accounts;

/// <summary>Where an account the CLI knows comes from.</summary>
internal enum AccountSource
{
    /// <summary><c>Herald:Accounts:{platform}</c> in a settings file or the environment.</summary>
    Configuration,

    /// <summary>The sandbox's own account of a platform (with <c>--sandbox</c>).</summary>
    Sandbox,

    /// <summary>Stored in the database: <c>herald accounts add</c>, the server's API, or a configuration used before.</summary>
    Stored,
}

/// <summary>An account and where it comes from; <see cref="Name"/> (<c>x:work</c>) is how <c>--to</c> names it.</summary>
internal sealed record KnownAccount(Account Account, AccountSource Source)
{
    public string Name => CliAccounts.NameOf(Account);
}

/// <summary>
/// The accounts a CLI command can use: those from configuration (or, with <c>--sandbox</c>, the sandbox's own) and
/// those stored in the database (<see cref="AccountDirectory"/>), and how <c>--to</c> names them: <c>all</c>, a
/// platform (<c>x</c>: its configured account, else its only stored one), or <c>platform:name</c> (<c>x:work</c>).
/// </summary>
internal sealed class CliAccounts(IConfiguration configuration, PlatformRegistry registry, bool sandbox, Func<CancellationToken, Task<List<Account>>> stored)
{
    private List<Account>? _stored;

    public static string NameOf(Account account) => $"{account.Platform}:{account.DisplayName}";

    /// <summary>True when the platform has an account from configuration (with <c>--sandbox</c>: when the sandbox simulates it).</summary>
    public bool IsConfigured(string platform) => sandbox ? SandboxPlatforms.Find(platform) is not null : ConfiguredAccount.Exists(configuration, platform);

    /// <summary>The platform's configured account (or the sandbox's); without configuration, one without credentials.</summary>
    public Account Configured(PlatformDescriptor platform) => sandbox
        ? AccountCatalog.ForSandbox(configuration, platform)
        : AccountCatalog.FromConfiguration(configuration, platform);

    /// <summary>Every account, configured ones first; a stored account with a configured one's platform and name is that one.</summary>
    public async Task<List<KnownAccount>> ListAsync(CancellationToken cancellationToken)
    {
        var known = registry.Adapters.Where(a => IsConfigured(a.Platform.Id))
            .Select(a => new KnownAccount(Configured(a.Platform), sandbox ? AccountSource.Sandbox : AccountSource.Configuration))
            .ToList();
        foreach (var account in await StoredAsync(cancellationToken))
        {
            if (!known.Any(k => SameName(k.Account, account)))
            {
                known.Add(new KnownAccount(account, AccountSource.Stored));
            }
        }

        return known;
    }

    /// <summary>The accounts <paramref name="to"/> names, each once, in the order named; anything unknown is refused naming <paramref name="field"/>.</summary>
    public async Task<List<(IPlatformAdapter Adapter, KnownAccount Known)>> ResolveAsync(string to, string field, CancellationToken cancellationToken)
    {
        var names = to.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0)
        {
            throw new CliInputException($"{field}: name at least one platform or account, e.g. {field} devto,x:work");
        }

        var unknown = names.Where(n => !n.Equals("all", StringComparison.OrdinalIgnoreCase) && !registry.TryResolve(n.Split(':', 2)[0], out _)).ToList();
        if (unknown.Count > 0)
        {
            throw new CliInputException(
                $"{field}: unknown platform{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(n => $"'{n.Split(':', 2)[0]}'"))}; " +
                $"known platforms: {string.Join(", ", registry.PlatformIds)}");
        }

        var chosen = new List<KnownAccount>();
        foreach (var name in names)
        {
            if (name.Equals("all", StringComparison.OrdinalIgnoreCase))
            {
                var all = await ListAsync(cancellationToken);
                if (all.Count == 0)
                {
                    throw new CliInputException($"{field}: 'all' names no account: there are none yet; add one with `herald accounts add PLATFORM:NAME`, " +
                        "or configure Herald:Accounts (`herald init` writes a file to start from)");
                }

                chosen.AddRange(all);
                continue;
            }

            var parts = name.Split(':', 2, StringSplitOptions.TrimEntries);
            var platform = registry.Resolve(parts[0]).Platform;
            chosen.Add(parts.Length == 1
                ? await OnPlatformAsync(platform, field, cancellationToken)
                : await NamedAsync(platform, parts[1], field, cancellationToken));
        }

        return [.. chosen.DistinctBy(k => k.Name, StringComparer.OrdinalIgnoreCase).Select(k => (registry.Resolve(k.Account.Platform), k))];
    }

    /// <summary>The account named <paramref name="name"/> (<c>x:work</c>, or <c>x</c> as <c>--to</c> reads it), and where it comes from.</summary>
    public async Task<KnownAccount> FindAsync(string name, string field, CancellationToken cancellationToken)
    {
        var found = await ResolveAsync(name, field, cancellationToken);
        return found.Count == 1 ? found[0].Known : throw new CliInputException($"{field}: name one account, e.g. x:work");
    }

    private KnownAccount ConfiguredKnown(PlatformDescriptor platform) =>
        new(Configured(platform), sandbox ? AccountSource.Sandbox : AccountSource.Configuration);

    private async Task<KnownAccount> OnPlatformAsync(PlatformDescriptor platform, string field, CancellationToken cancellationToken)
    {
        if (IsConfigured(platform.Id))
        {
            return ConfiguredKnown(platform);
        }

        var onPlatform = (await StoredAsync(cancellationToken)).Where(a => a.Platform == platform.Id).ToList();
        return onPlatform.Count switch
        {
            // Nothing configured or stored: an account without credentials, which the platform's checks refuse by name.
            0 => ConfiguredKnown(platform),
            1 => new KnownAccount(onPlatform[0], AccountSource.Stored),
            _ => throw new CliInputException($"{field}: {platform.DisplayName} has {onPlatform.Count} accounts " +
                $"({string.Join(", ", onPlatform.Select(NameOf))}); name one, e.g. {field} {NameOf(onPlatform[0])}"),
        };
    }

    private async Task<KnownAccount> NamedAsync(PlatformDescriptor platform, string name, string field, CancellationToken cancellationToken)
    {
        if (IsConfigured(platform.Id) && ConfiguredKnown(platform) is var configured && configured.Account.DisplayName.Equals(name, StringComparison.OrdinalIgnoreCase))
        {
            return configured;
        }

        var stored = await StoredAsync(cancellationToken);
        return stored.FirstOrDefault(a => a.Platform == platform.Id && a.DisplayName.Equals(name, StringComparison.OrdinalIgnoreCase)) is { } found
            ? new KnownAccount(found, AccountSource.Stored)
            : throw new CliInputException($"{field}: there is no {platform.DisplayName} account named '{name}'" +
                (stored.Any(a => a.Platform == platform.Id) ? $" (there is {string.Join(", ", stored.Where(a => a.Platform == platform.Id).Select(NameOf))})" : "") +
                $"; `herald accounts list{(sandbox ? " --sandbox" : "")}` shows them, `herald accounts add {platform.Id}:{name}` adds it");
    }

    private async Task<List<Account>> StoredAsync(CancellationToken cancellationToken) => _stored ??= await stored(cancellationToken);

    private static bool SameName(Account a, Account b) =>
        a.Platform == b.Platform && a.DisplayName.Equals(b.DisplayName, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Builds <see cref="CliAccounts"/> over a command's services.</summary>
internal static class CliAccountsFactory
{
    /// <summary>The accounts of <paramref name="services"/>' database (migrated when first read) and of <paramref name="configuration"/>.</summary>
    public static CliAccounts Create(IServiceProvider services, IConfiguration configuration, bool sandbox) => new(
        configuration,
        services.GetRequiredService<PlatformRegistry>(),
        sandbox,
        async cancellationToken =>
        {
            await services.MigrateHeraldDatabaseAsync(cancellationToken);
            await using var scope = services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<AccountDirectory>().ListAsync(cancellationToken);
        });
}
