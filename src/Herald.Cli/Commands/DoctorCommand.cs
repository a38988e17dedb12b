using System.CommandLine;
using System.Text.Json;
using Herald.Cli.Accounts;
using Herald.Cli.Configuration;
using Herald.Cli.Output;
using Herald.Publications;
using Herald.Storage;
using Herald.Storage.Security;
using Herald.Workers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Cli.Commands;

/// <summary>
/// <c>herald doctor [--json]</c>: checks the settings, the database, the credential key, the clock against the
/// database's, each account's credentials (a who-am-I call on its platform), and overdue publications — one line
/// each, ✓ or ✗ with the fix.
/// </summary>
internal static class DoctorCommand
{
    private sealed record Check(string Name, bool Ok, string Detail, string? Fix = null);

    public static Command Create(TextWriter output, TextWriter error)
    {
        var json = new Option<bool>("--json") { Description = "Machine-readable output: an array of {name, ok, detail, fix}." };
        var command = new Command("doctor", "Check settings, database, credential key, clock, each account's credentials and overdue publications, each with its fix.") { json };
        command.Add(CommonOptions.Config);
        command.Add(CommonOptions.Sandbox);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var checks = await RunChecksAsync(parse.GetValue(CommonOptions.Config), parse.GetValue(CommonOptions.Sandbox), cancellationToken);
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(checks, PublicationJson.Options));
            }
            else
            {
                foreach (var check in checks)
                {
                    await output.WriteLineAsync($"{(check.Ok ? "✓" : "✗")} {check.Name.PadRight(12)} {check.Detail}{(check.Fix is null ? "" : $"\n  fix: {check.Fix}")}");
                }
            }

            return checks.All(c => c.Ok) ? HeraldCommandLine.Ok : HeraldCommandLine.TargetFailed;
        });
        return command;
    }

    private static async Task<List<Check>> RunChecksAsync(FileInfo? config, bool sandbox, CancellationToken cancellationToken)
    {
        var checks = new List<Check>();
        IConfigurationRoot configuration;
        ServiceProvider services;
        try
        {
            configuration = CliConfiguration.Build(config, sandbox);
            services = CliServices.Build(configuration, verbose: false);
        }
        catch (Exception ex) when (ex is CliInputException or Microsoft.Extensions.Options.OptionsValidationException or InvalidOperationException)
        {
            checks.Add(new("settings", false, CliMessage.Of(ex), "correct the setting named; `herald init` writes a commented file to start from"));
            return checks;
        }

        await using (services)
        {
            var files = new[] { CliConfiguration.UserSettingsFile, Path.Combine(Directory.GetCurrentDirectory(), "herald.json"), config?.FullName }
                .Where(f => f is not null && File.Exists(f)).ToList();
            checks.Add(new("settings", true, files.Count == 0 ? "no settings file; defaults and environment variables" : "read " + string.Join(", ", files)));

            var database = services.GetRequiredService<HeraldDatabaseInfo>();
            try
            {
                await services.MigrateHeraldDatabaseAsync(cancellationToken);
                checks.Add(new("database", true, $"{database.Provider}: {HeraldDatabase.Describe(database.ConnectionString)}"));
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.Data.Common.DbException or IOException or UnauthorizedAccessException)
            {
                checks.Add(new("database", false, $"{HeraldDatabase.Describe(database.ConnectionString)}: {CliMessage.Of(ex)}",
                    "check Herald:Database (or POSTGRES_DSN), that the server runs and the user may create tables"));
                return checks;
            }

            try
            {
                var protector = services.GetRequiredService<CredentialProtector>();
                checks.Add(new("key", protector.KeyFileWarning is null, $"credential key {protector.KeyId}{(protector.KeyFileWarning is null ? "" : ": " + protector.KeyFileWarning)}",
                    protector.KeyFileWarning is null ? null : "chmod 600 the key file"));
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or IOException)
            {
                checks.Add(new("key", false, CliMessage.Of(ex), "set Herald:CredentialKey or HERALD_CREDENTIAL_KEY to base64 of 32 random bytes (`openssl rand -base64 32`)"));
            }

            if (services.GetService<IDatabaseClock>() is { } databaseClock)
            {
                var offset = await databaseClock.SyncAsync(cancellationToken);
                var ok = offset.Duration() <= TimeSpan.FromSeconds(5);
                checks.Add(new("clock", ok, $"this machine is {offset.Duration().TotalSeconds:0.#} s {(offset >= TimeSpan.Zero ? "behind" : "ahead of")} the database",
                    ok ? null : "synchronise this machine's clock (NTP); Herald times leases and due times on the database's clock"));
            }

            // Each account's credentials, as `herald accounts test` checks them: one who-am-I call per account.
            var accounts = await CliAccountsFactory.Create(services, configuration, sandbox).ListAsync(cancellationToken);
            if (accounts.Count == 0)
            {
                checks.Add(new("accounts", true, "none yet (--sandbox needs none)", null));
            }

            foreach (var (known, result) in await AccountTester.TestAsync(services, configuration, sandbox, accounts, cancellationToken))
            {
                checks.Add(new(known.Name, result.CanDoAll, string.Join("\n  ", AccountTester.Capabilities(result).Prepend(AccountTester.Describe(result))),
                    AccountTester.Fix(known, result, sandbox)));
            }

            await using var scope = services.CreateAsyncScope();
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            var lookup = scope.ServiceProvider.GetRequiredService<PublicationLookup>();
            var waiting = await lookup.ListAsync(
                new PublicationFilter(new HashSet<PublicationStatus> { PublicationStatus.Scheduled, PublicationStatus.RetryScheduled }, new HashSet<string>(), null, null, 10_000),
                cancellationToken);
            var overdue = waiting.Where(p => (p.NextAttemptAt ?? p.ScheduledAt) <= now).ToList();
            checks.Add(new("overdue", overdue.Count == 0,
                overdue.Count == 0 ? "no publication is overdue" : $"{overdue.Count} publication{(overdue.Count == 1 ? " is" : "s are")} due and waiting, the oldest since {overdue.Min(p => p.NextAttemptAt ?? p.ScheduledAt).UtcDateTime:yyyy-MM-dd HH:mm} UTC",
                overdue.Count == 0 ? null : $"run `herald work{(sandbox ? " --sandbox" : "")}`: no worker is sending them"));
        }

        return checks;
    }
}
