using System.CommandLine;
using System.Text.Json;
using Herald.Cli.Accounts;
using Herald.Cli.Configuration;
using Herald.Cli.Output;

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
                var targets = await CliAccountsFactory.Create(services, configuration, sandbox).ResolveAsync(parse.GetRequiredValue(accounts), "ACCOUNTS", cancellationToken);
                var results = await AccountTester.TestAsync(services, configuration, sandbox, targets.Select(t => t.Known), cancellationToken);
                foreach (var (known, result) in results)
                {
                    reporter.Line($"{(result.Verdict == Herald.Platforms.Checks.AccountCheckVerdict.Works ? "✓" : "✗")} {known.Name,-20} {AccountTester.Describe(result)}" +
                        (AccountTester.Fix(known, result, sandbox) is { } fix ? $"\n  fix: {fix}" : ""));
                }

                reporter.Json(results.Select(r => new TestJson(
                    r.Known.Name, r.Known.Account.Platform, r.Known.Account.DisplayName, AccountsCommand.Describe(r.Known.Source), r.Works,
                    JsonNamingPolicy.CamelCase.ConvertName(r.Result.Verdict.ToString()), r.Result.Detail, r.Result.Identity, r.Result.IdentityId)));
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

    private sealed record TestJson(
        string Account, string Platform, string Name, string Source, bool Works, string Verdict, string Detail, string? Identity, string? IdentityId);
}
