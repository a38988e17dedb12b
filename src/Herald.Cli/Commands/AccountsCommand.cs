using System.CommandLine;
using System.Text.Json;
using Herald.Cli.Accounts;
using Herald.Cli.Configuration;
using Herald.Cli.Output;
using Herald.Platforms;
using Herald.Platforms.Checks;
using Herald.Storage.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Cli.Commands;

/// <summary>
/// <c>herald accounts list|add|test|remove</c>: several named accounts per platform (<c>x:work</c>, <c>x:personal</c>),
/// stored with encrypted credentials in Herald's database — the same accounts the server's API manages — next to the
/// accounts from configuration, which keep working.
/// </summary>
internal static class AccountsCommand
{
    public static Command Create(TextWriter output, TextWriter error, IPrompt prompt)
    {
        var command = new Command("accounts", "List, add, test and remove the accounts Herald publishes with.");
        command.Add(List(output, error));
        command.Add(AccountsAddCommand.Create(output, error, prompt));
        command.Add(AccountsTestCommand.Create(output, error));
        command.Add(Remove(output, error));
        return command;
    }

    /// <summary>The argument naming one account: <c>platform:name</c>, or a platform for its only account.</summary>
    public static Argument<string> AccountArgument(string description) => new("account") { Description = description };

    private static Command List(TextWriter output, TextWriter error)
    {
        var json = new Option<bool>("--json") { Description = "Machine-readable output: an array of {account, platform, name, id, source, sandbox, baseUrl, credentialKeys, credentialsReadable, settings, tokenExpiresAt}." };
        var command = new Command("list", "Show every account: where it comes from, when its token expires (where known) and which credential keys are set (never their values).") { json };
        command.Add(CommonOptions.Config);
        command.Add(CommonOptions.Sandbox);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var reporter = new Reporter(output, error);
            try
            {
                var sandbox = parse.GetValue(CommonOptions.Sandbox);
                var configuration = CliConfiguration.Build(parse.GetValue(CommonOptions.Config), sandbox);
                await using var services = CliServices.Build(configuration, verbose: false);
                var accounts = await CliAccountsFactory.Create(services, configuration, sandbox).ListAsync(cancellationToken);
                Dictionary<AccountId, CredentialDates> dates;
                await using (var scope = services.CreateAsyncScope())
                {
                    dates = await scope.ServiceProvider.GetRequiredService<AccountDirectory>().CredentialDatesAsync(cancellationToken);
                }

                DateTimeOffset? ExpiresAt(KnownAccount known) =>
                    known.Source == AccountSource.Stored ? dates.GetValueOrDefault(known.Account.Id)?.TokenExpiresAt : null;
                if (parse.GetValue(json))
                {
                    await output.WriteLineAsync(JsonSerializer.Serialize(accounts.Select(a => AccountJson.From(a, ExpiresAt(a))), PublicationJson.Options));
                    return HeraldCommandLine.Ok;
                }

                if (accounts.Count == 0)
                {
                    reporter.Line($"No accounts yet. Add one with `herald accounts add PLATFORM:NAME{(sandbox ? " --sandbox" : "")}`, " +
                        "or configure Herald:Accounts (`herald init` writes a file to start from).");
                    return HeraldCommandLine.Ok;
                }

                var width = Math.Max(7, accounts.Max(a => a.Name.Length)) + 2;
                var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
                var registry = services.GetRequiredService<PlatformRegistry>();
                reporter.Line($"{"ACCOUNT".PadRight(width)}{"FROM",-15}{"TOKEN EXPIRES",-20}CREDENTIALS SET");
                foreach (var known in accounts)
                {
                    var keys = AccountDirectory.CredentialKeys(known.Account);
                    var credentials = known.Account.Credentials.UnreadableReason is { } unreadable
                        ? $"unreadable: {unreadable}"
                        : keys.Count == 0 ? "none" : string.Join(", ", keys);
                    reporter.Line($"{known.Name.PadRight(width)}{Describe(known.Source),-15}{TokenExpiry.Describe(ExpiresAt(known), now, CredentialRenewal.CanRenew(registry, known.Account)),-20}{credentials}");
                }

                return HeraldCommandLine.Ok;
            }
            catch (CliInputException ex)
            {
                reporter.Error(ex);
                return HeraldCommandLine.BadInput;
            }
        });
        return command;
    }

    private static Command Remove(TextWriter output, TextWriter error)
    {
        var account = AccountArgument("The stored account to remove, e.g. x:work.");
        var cancelPending = new Option<bool>("--cancel-pending") { Description = "Cancel the publications still waiting on the account instead of refusing." };
        var command = new Command("remove", "Remove a stored account and its credentials (its published history stays).") { account, cancelPending };
        command.Add(CommonOptions.Config);
        command.Add(CommonOptions.Sandbox);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var reporter = new Reporter(output, error);
            try
            {
                var sandbox = parse.GetValue(CommonOptions.Sandbox);
                var configuration = CliConfiguration.Build(parse.GetValue(CommonOptions.Config), sandbox);
                await using var services = CliServices.Build(configuration, verbose: false);
                var known = await CliAccountsFactory.Create(services, configuration, sandbox).FindAsync(parse.GetRequiredValue(account), "ACCOUNT", cancellationToken);
                if (known.Source != AccountSource.Stored)
                {
                    throw new CliInputException(known.Source == AccountSource.Sandbox
                        ? $"ACCOUNT: {known.Name} is the sandbox's own account; it cannot be removed"
                        : $"ACCOUNT: {known.Name} comes from configuration ({ConfiguredAccount.SectionPath(known.Account.Platform)}); remove it there");
                }

                await using var scope = services.CreateAsyncScope();
                var result = await scope.ServiceProvider.GetRequiredService<AccountDirectory>()
                    .DeleteAsync(known.Account, parse.GetValue(cancelPending), cancellationToken);
                if (result.Change != AccountChange.Done)
                {
                    throw new CliInputException($"ACCOUNT: {known.Name}: " +
                        result.Detail.Replace("delete it with the pending ones cancelled", "add --cancel-pending", StringComparison.Ordinal));
                }

                reporter.Line($"✓ {result.Detail.Replace($"'{known.Account.DisplayName}'", known.Name, StringComparison.Ordinal)}");
                return HeraldCommandLine.Ok;
            }
            catch (CliInputException ex)
            {
                reporter.Error(ex);
                return HeraldCommandLine.BadInput;
            }
        });
        return command;
    }

    public static string Describe(AccountSource source) => source switch
    {
        AccountSource.Configuration => "configuration",
        AccountSource.Sandbox => "sandbox",
        _ => "stored",
    };
}

/// <summary>
/// One account in <c>herald accounts list --json</c>: never a credential, only which keys are set, and when its access
/// token expires (null when not known).
/// </summary>
internal sealed record AccountJson(
    string Account,
    string Platform,
    string Name,
    string? Id,
    string Source,
    bool Sandbox,
    Uri? BaseUrl,
    IReadOnlyList<string> CredentialKeys,
    bool CredentialsReadable,
    IReadOnlyDictionary<string, string> Settings,
    DateTimeOffset? TokenExpiresAt)
{
    public static AccountJson From(KnownAccount known, DateTimeOffset? tokenExpiresAt) => new(
        known.Name,
        known.Account.Platform,
        known.Account.DisplayName,
        // Configured accounts get an id when a command first stores them.
        known.Source == AccountSource.Stored ? known.Account.Id.ToString() : null,
        AccountsCommand.Describe(known.Source),
        SandboxAccountMarker.IsSandbox(known.Account),
        known.Account.BaseUrl,
        AccountDirectory.CredentialKeys(known.Account),
        known.Account.Credentials.UnreadableReason is null,
        known.Account.Settings.Where(s => !s.Key.Equals(AccountDirectory.DeletedSetting, StringComparison.OrdinalIgnoreCase))
            .ToDictionary(s => s.Key, s => s.Value, StringComparer.OrdinalIgnoreCase),
        tokenExpiresAt);
}
