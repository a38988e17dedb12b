using System.CommandLine;
using System.Text.Json;
using Herald.Cli.Accounts;
using Herald.Cli.Configuration;
using Herald.Cli.Output;

namespace Herald.Cli.Commands;

/// <summary>
/// <c>herald accounts test [ACCOUNTS] [--sandbox] [--json]</c>: one who-am-I call per account on its platform (or the
/// sandbox) — the check the server's <c>POST /api/v1/accounts/{id}/test</c> makes — saying whether the credentials
/// work, whose they are, and what they can do of what Herald needs (post, upload images, read posts back). Exit 0
/// when every account works and lacks nothing; 1 when one does not work or lacks something (⚠). Nothing is posted.
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
        var json = new Option<bool>("--json")
        {
            Description = "Machine-readable output: an array of {account, platform, name, source, works, canDoAll, verdict, detail, identity, identityId, " +
                "capabilities: [{capability, answer, reason, missingScopes, fix}], grantedScopes, missingScopes}.",
        };
        var command = new Command("test", "Ask each account's platform whose its credentials are and what they can do (post, upload images, read posts back); nothing is posted.")
        {
            accounts, json,
        };
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
                foreach (var tested in results)
                {
                    var (known, result) = tested;
                    reporter.Line($"{tested.Mark} {known.Name,-20} {AccountTester.Describe(result)}" +
                        string.Concat(AccountTester.Capabilities(result).Select(line => $"\n  {line}")) +
                        (AccountTester.Fix(known, result, sandbox) is { } fix ? $"\n  fix: {fix}" : ""));
                }

                reporter.Json(results.Select(r => new TestJson(
                    r.Known.Name, r.Known.Account.Platform, r.Known.Account.DisplayName, AccountsCommand.Describe(r.Known.Source), r.Works, r.Result.CanDoAll,
                    Camel(r.Result.Verdict), r.Result.Detail, r.Result.Identity, r.Result.IdentityId,
                    [.. r.Result.Capabilities.Select(c => new CapabilityJson(Camel(c.Capability), Camel(c.Answer), c.Reason, c.MissingScopes, c.Fix))],
                    r.Result.GrantedScopes, r.Result.MissingScopes)));
                return results.All(r => r.Result.CanDoAll) ? HeraldCommandLine.Ok : HeraldCommandLine.TargetFailed;
            }
            catch (CliInputException ex)
            {
                reporter.Error(ex);
                return HeraldCommandLine.BadInput;
            }
        });
        return command;
    }

    private static string Camel(Enum value) => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    private sealed record TestJson(
        string Account, string Platform, string Name, string Source, bool Works, bool CanDoAll, string Verdict, string Detail, string? Identity, string? IdentityId,
        IReadOnlyList<CapabilityJson> Capabilities, IReadOnlyList<string>? GrantedScopes, IReadOnlyList<string> MissingScopes);

    private sealed record CapabilityJson(string Capability, string Answer, string Reason, IReadOnlyList<string> MissingScopes, string? Fix);
}
