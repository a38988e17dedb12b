using System.CommandLine;
using System.Text.Json;
using Herald.Accounts;
using Herald.Cli.Accounts;
using Herald.Cli.Configuration;
using Herald.Cli.Output;
using Herald.Platforms.Checks;
using Herald.Publications;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Cli.Commands;

/// <summary>
/// <c>herald accounts test [ACCOUNTS] [--sandbox] [--json]</c>: one who-am-I call per account on its platform (or the
/// sandbox) — the check the server's <c>POST /api/v1/accounts/{id}/test</c> makes — saying whether the credentials
/// work and whose they are. Nothing is posted.
/// </summary>
internal static class AccountsTestCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var accounts = new Argument<string>("accounts")
        {
            Description = "Which accounts, as --to names them: all (the default), a platform, or platform:name, comma-separated.",
            DefaultValueFactory = _ => "all",
        };
        var json = new Option<bool>("--json") { Description = "Machine-readable output: an array of {account, platform, name, source, works, verdict, detail, identity, identityId}." };
        var command = new Command("test", "Ask each account's platform whose its credentials are; nothing is posted.") { accounts, json };
        command.Add(CommonOptions.Config);
        command.Add(CommonOptions.Sandbox);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var reporter = new Reporter(output, error, parse.GetValue(json));
            try
            {
                var sandbox = parse.GetValue(CommonOptions.Sandbox);
                var configuration = CliConfiguration.Build(parse.GetValue(CommonOptions.Config), sandbox);
                await using var services = CliServices.Build(configuration, verbose: false);
                var accountsOf = CliAccountsFactory.Create(services, configuration, sandbox);
                var targets = await accountsOf.ResolveAsync(parse.GetRequiredValue(accounts), "ACCOUNTS", cancellationToken);
                await using var server = sandbox ? await SandboxConnection.OpenAsync(configuration, cancellationToken) : null;
                var checker = services.GetRequiredService<AccountChecker>();
                var results = new List<TestJson>();
                foreach (var (_, known) in targets)
                {
                    var account = known.Account;
                    var effective = await EffectiveAsync(services, known, cancellationToken);
                    var callable = server is not null && SandboxAccountMarker.IsSandbox(effective)
                        ? SandboxAccountMarker.WithBaseUrl(effective, server.PlatformBaseUrl(effective.Platform))
                        : effective;
                    var result = await checker.CheckAsync(callable, cancellationToken);
                    var name = CliAccounts.NameOf(account);
                    results.Add(new TestJson(name, account.Platform, account.DisplayName, result.Verdict == AccountCheckVerdict.Works,
                        JsonNamingPolicy.CamelCase.ConvertName(result.Verdict.ToString()), result.Detail, result.Identity, result.IdentityId));
                    reporter.Line(Line(name, result, sandbox));
                }

                reporter.Json(results);
                return results.All(r => r.Works) ? HeraldCommandLine.Ok : HeraldCommandLine.TargetFailed;
            }
            catch (CliInputException ex)
            {
                reporter.Error(ex);
                return HeraldCommandLine.BadInput;
            }
        });
        return command;
    }

    /// <summary>
    /// A configured real account as a post would use it: stored first (as every post stores it), so credentials the
    /// platform renewed since (an OAuth 2 pair) are the ones tested, unless the configured values changed.
    /// </summary>
    private static async Task<Account> EffectiveAsync(IServiceProvider services, KnownAccount known, CancellationToken cancellationToken)
    {
        if (known.Source != AccountSource.Configuration)
        {
            return known.Account;
        }

        await services.MigrateHeraldDatabaseAsync(cancellationToken);
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IPublicationStore>().UpsertAccountAsync(known.Account, cancellationToken);
    }

    private static string Line(string name, AccountCheckResult result, bool sandbox) => result.Verdict switch
    {
        AccountCheckVerdict.Works => $"✓ {name,-20} works: {result.Detail}" +
            (result.Identity ?? result.IdentityId) switch { null => "", _ => $" They belong to {Who(result)}." },
        AccountCheckVerdict.CredentialsRefused => $"✗ {name,-20} credentials refused: {result.Detail}\n" +
            $"  fix: enter them again: herald accounts remove {name}{(sandbox ? " --sandbox" : "")}, then herald accounts add {name}{(sandbox ? " --sandbox" : "")} (or correct the configuration)",
        AccountCheckVerdict.Unreachable => $"✗ {name,-20} platform unreachable: {result.Detail}\n  fix: check the network (or that the platform is up), then test again",
        _ => $"✗ {name,-20} unexpected answer: {result.Detail}",
    };

    private static string Who(AccountCheckResult result) =>
        result.Identity is { } identity && result.IdentityId is { } id && id != identity ? $"{identity} (id {id})" : result.Identity ?? result.IdentityId!;

    private sealed record TestJson(string Account, string Platform, string Name, bool Works, string Verdict, string Detail, string? Identity, string? IdentityId);
}
