using System.CommandLine;
using Herald.Cli.Accounts;
using Herald.Cli.Configuration;
using Herald.Cli.Output;
using Herald.Platforms;
using Herald.Platforms.Checks;
using Herald.Storage;
using Herald.Storage.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Cli.Commands;

/// <summary>
/// <c>herald accounts add PLATFORM:NAME [--credential KEY=VALUE]… [--setting KEY=VALUE]… [--base-url URL] [--token-expires-at TIME] [--sandbox]</c>:
/// stores an account with its credentials encrypted. Each credential the platform needs comes from
/// <c>--credential</c>, else the environment (<c>HERALD_CREDENTIAL_API_KEY</c> for <c>api_key</c>), else — at a
/// terminal — a question answered without echo; with <c>--sandbox</c>, else the sandbox's own. No credential is ever
/// printed back.
/// </summary>
internal static class AccountsAddCommand
{
    /// <summary>The environment variable a credential is read from: <c>HERALD_CREDENTIAL_</c> and the key in capitals.</summary>
    public static string VariableOf(string key) => "HERALD_CREDENTIAL_" + key.ToUpperInvariant();

    public static Command Create(TextWriter output, TextWriter error, IPrompt prompt)
    {
        var account = AccountsCommand.AccountArgument("The account to add: platform:name, e.g. x:work (a platform alone is named 'default').");
        var credential = new Option<string[]>("--credential", "-c")
        {
            Description = "A credential as KEY=VALUE (repeatable), e.g. api_key=…; a shell keeps it in its history, so prefer the environment or the question.",
            AllowMultipleArgumentsPerToken = false,
        };
        var setting = new Option<string[]>("--setting", "-s") { Description = "An account setting as KEY=VALUE (repeatable), e.g. author_urn=urn:li:person:…" };
        var baseUrl = new Option<string?>("--base-url") { Description = "The platform's address for this account, e.g. your Mastodon instance (https://mastodon.social)." };
        var tokenExpiresAt = new Option<string?>("--token-expires-at")
        {
            Description = "When the access token expires, as an ISO 8601 instant (2026-12-31T00:00:00Z), for a token with a fixed lifetime " +
                "that Herald cannot renew (Threads and LinkedIn tokens last 60 days); the overview warns 7 days ahead.",
        };
        var command = new Command("add", "Store an account (credentials encrypted, never shown again).") { account, credential, setting, baseUrl, tokenExpiresAt };
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
                var registry = services.GetRequiredService<PlatformRegistry>();
                var (platform, name) = ParseName(parse.GetRequiredValue(account), registry);
                var accounts = CliAccountsFactory.Create(services, configuration, sandbox);
                if (accounts.IsConfigured(platform.Id) && accounts.Configured(platform).DisplayName.Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    throw new CliInputException(sandbox
                        ? $"ACCOUNT: {platform.Id}:{name} is the sandbox's own account; choose another name, e.g. {platform.Id}:work"
                        : $"ACCOUNT: {platform.Id}:{name} comes from configuration ({ConfiguredAccount.SectionPath(platform.Id)}); choose another name or change it there");
                }

                var given = Pairs(parse.GetValue(credential), "--credential");
                var settings = Pairs(parse.GetValue(setting), "--setting");
                if (sandbox && parse.GetValue(baseUrl) is not null)
                {
                    throw new CliInputException("--base-url: not with --sandbox; a sandbox account calls the sandbox the command runs with");
                }

                // Checked before any secret is asked for, so a mistyped date does not cost the user their typing.
                var expiryProblems = new List<(string Field, string Message)>();
                TokenExpiry.Read(parse.GetValue(tokenExpiresAt), expiryProblems);
                if (expiryProblems.Count > 0)
                {
                    throw new CliInputException($"{FlagOf(expiryProblems[0].Field)}: {expiryProblems[0].Message}");
                }

                var credentials = Collect(platform, given, sandbox, prompt);
                var draft = sandbox
                    ? FromSandbox(AccountCatalog.SandboxAccount(platform, name, settings, credentials, settingsWin: true))
                    : new AccountDraft(platform.Id, name, credentials, settings, parse.GetValue(baseUrl));
                draft = draft with { TokenExpiresAt = parse.GetValue(tokenExpiresAt) };

                await services.MigrateHeraldDatabaseAsync(cancellationToken);
                await using var scope = services.CreateAsyncScope();
                var result = await scope.ServiceProvider.GetRequiredService<AccountDirectory>().AddAsync(draft, cancellationToken);
                switch (result.Change)
                {
                    case AccountChange.Invalid:
                        foreach (var (field, message) in result.Problems)
                        {
                            reporter.Error($"{FlagOf(field)}: {message}");
                        }

                        return HeraldCommandLine.BadInput;
                    case AccountChange.Conflict:
                        throw new CliInputException($"ACCOUNT: {result.Detail} `herald accounts remove {platform.Id}:{name}{Flag(sandbox)}` removes it first");
                }

                var stored = result.Account!;
                var database = services.GetRequiredService<HeraldDatabaseInfo>();
                reporter.Line($"✓ Added {platform.Id}:{stored.DisplayName} ({platform.DisplayName}{(sandbox ? ", sandbox" : "")}): " +
                    $"credentials {string.Join(", ", AccountDirectory.CredentialKeys(stored))} stored encrypted in {HeraldDatabase.Describe(database.ConnectionString)}.");
                reporter.Line($"  Check them: herald accounts test {platform.Id}:{stored.DisplayName}{Flag(sandbox)}");
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

    private static string Flag(bool sandbox) => sandbox ? " --sandbox" : "";

    private static AccountDraft FromSandbox(Herald.Accounts.Account account) => new(
        account.Platform, account.DisplayName, account.Credentials.ToDictionary(c => c.Key, c => c.Value), account.Settings, BaseUrl: null);

    /// <summary>The platform and the account's name in <c>x:work</c> (<c>default</c> when only a platform is given).</summary>
    internal static (PlatformDescriptor Platform, string Name) ParseName(string text, PlatformRegistry registry)
    {
        var parts = text.Split(':', 2, StringSplitOptions.TrimEntries);
        if (!registry.TryResolve(parts[0], out var adapter))
        {
            throw new CliInputException($"ACCOUNT: unknown platform '{parts[0]}'; known platforms: {string.Join(", ", registry.PlatformIds)}");
        }

        var name = parts.Length == 2 ? parts[1] : "default";
        if (name.Length is 0 or > 200 || name.Contains(',', StringComparison.Ordinal))
        {
            throw new CliInputException($"ACCOUNT: the name after '{parts[0]}:' must be 1 to 200 characters without a comma (--to separates accounts with commas)");
        }

        return (adapter.Platform, name);
    }

    /// <summary>KEY=VALUE pairs; a pair without '=' or without a key is refused naming <paramref name="field"/> (never echoing the value).</summary>
    private static Dictionary<string, string> Pairs(string[]? values, string field)
    {
        var pairs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (value, index) in (values ?? []).Select((v, i) => (v, i + 1)))
        {
            var at = value.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0)
            {
                throw new CliInputException($"{field}: value {index} must be KEY=VALUE, e.g. {field} access_token=…");
            }

            pairs[value[..at].Trim()] = value[(at + 1)..];
        }

        return pairs;
    }

    /// <summary>The credentials: those given, then each one the platform needs from the environment, the sandbox or a question.</summary>
    private static Dictionary<string, string> Collect(PlatformDescriptor platform, Dictionary<string, string> given, bool sandbox, IPrompt prompt)
    {
        var credentials = new Dictionary<string, string>(given, StringComparer.OrdinalIgnoreCase);
        var missing = new List<string>();
        foreach (var key in AccountKeys.Credentials(platform.Id).Where(k => !credentials.ContainsKey(k)))
        {
            if (Environment.GetEnvironmentVariable(VariableOf(key)) is { Length: > 0 } fromEnvironment)
            {
                credentials[key] = fromEnvironment;
            }
            else if (prompt.Interactive)
            {
                var answer = prompt.AskSecret(sandbox ? $"{platform.DisplayName} {key} (Enter for the sandbox's own)" : $"{platform.DisplayName} {key}");
                if (answer.Length > 0)
                {
                    credentials[key] = answer;
                }
                else if (!sandbox)
                {
                    missing.Add(key);
                }
            }
            else if (!sandbox)
            {
                missing.Add(key);
            }
        }

        if (missing.Count > 0)
        {
            throw new CliInputException($"--credential: {platform.DisplayName} needs {string.Join(" and ", missing.Select(k => $"'{k}'"))}; give " +
                string.Join(" ", missing.Select(k => $"--credential {k}=…")) + ", set " + string.Join(", ", missing.Select(VariableOf)) +
                ", or run in a terminal to be asked (docs/platforms.md says where to get them)");
        }

        return credentials;
    }

    private static string FlagOf(string field) => field switch
    {
        "platform" or "displayName" => "ACCOUNT",
        "baseUrl" => "--base-url",
        "credentials" => "--credential",
        "settings" => "--setting",
        TokenExpiry.Field => "--token-expires-at",
        _ => field,
    };
}
