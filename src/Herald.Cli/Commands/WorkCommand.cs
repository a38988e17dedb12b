using System.CommandLine;
using Herald.Cli.Configuration;
using Herald.Cli.Output;
using Herald.Publications;
using Herald.Storage;
using Herald.Workers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Herald.Cli.Commands;

/// <summary>
/// <c>herald work [--sandbox]</c>: the dispatcher and a Hangfire server in the foreground until Ctrl+C, printing
/// each publication as it completes. With PostgreSQL, run it on as many machines as you like.
/// </summary>
internal static class WorkCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var sandbox = new Option<bool>("--sandbox") { Description = "Run a local sandbox in this process and publish sandbox publications (from `post --sandbox --at`) to it." };
        var quiet = new Option<bool>("--quiet") { Description = "Do not print each publication as it completes." };
        var command = new Command("work", "Run Herald's workers in the foreground until stopped (Ctrl+C).") { sandbox, quiet };
        command.Add(CommonOptions.Config);
        command.Add(CommonOptions.Verbose);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var reporter = new Reporter(output, error);
            try
            {
                var configuration = CliConfiguration.Build(parse.GetValue(CommonOptions.Config), parse.GetValue(sandbox));
                await using var server = parse.GetValue(sandbox) ? await SandboxConnection.OpenAsync(configuration, cancellationToken) : null;
                var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
                builder.Configuration.AddConfiguration(configuration);
                CliServices.Add(builder.Services, configuration, parse.GetValue(CommonOptions.Verbose));
                builder.Services.AddHeraldJobs(configuration);
                if (server is not null)
                {
                    builder.Services.AddSingleton(SandboxAccountMarker.Resolver(server));
                }

                using var host = builder.Build();
                await WaitForDatabaseAsync(host.Services, reporter, cancellationToken);
                await WarnAboutClockSkewAsync(host.Services, reporter, cancellationToken);
                if (!parse.GetValue(quiet))
                {
                    host.Services.GetRequiredService<BatchExecutor>().PublicationFinished += p => Print(p, server?.BaseAddress, reporter);
                }

                var database = host.Services.GetRequiredService<HeraldDatabaseInfo>();
                reporter.Line($"Herald workers running on {database.Provider}" +
                    (server is null ? "" : $" with a sandbox at {server.BaseAddress}") + ". Press Ctrl+C to stop.");
                await host.RunAsync(cancellationToken);
                reporter.Line("Workers stopped.");
                return HeraldCommandLine.Ok;
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or CliInputException)
            {
                reporter.Error(ex);
                return HeraldCommandLine.BadInput;
            }
        });
        return command;
    }

    /// <summary>
    /// A worker started before its database (a service manager starting both, a PostgreSQL restart) waits for it,
    /// saying so, instead of exiting; Ctrl+C stops the wait.
    /// </summary>
    private static async Task WaitForDatabaseAsync(IServiceProvider services, Reporter reporter, CancellationToken cancellationToken)
    {
        var database = services.GetRequiredService<HeraldDatabaseInfo>();
        for (var wait = TimeSpan.FromSeconds(1); ; wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, TimeSpan.FromSeconds(30).Ticks)))
        {
            try
            {
                await services.MigrateHeraldDatabaseAsync(cancellationToken);
                return;
            }
            catch (InvalidOperationException ex) when (database.Provider == DatabaseProvider.PostgreSql &&
                                                       ex.InnerException is System.Data.Common.DbException { IsTransient: true } or TimeoutException or System.Net.Sockets.SocketException)
            {
                reporter.Warning($"{ex.Message} Trying again in {wait.TotalSeconds:0} s (Ctrl+C to stop).");
                await Task.Delay(wait, cancellationToken);
            }
        }
    }

    /// <summary>Workers of one database compare times on its clock; a machine far off it is worth knowing about.</summary>
    private static async Task WarnAboutClockSkewAsync(IServiceProvider services, Reporter reporter, CancellationToken cancellationToken)
    {
        if (services.GetService<IDatabaseClock>() is not { } clock)
        {
            return;
        }

        var offset = await clock.SyncAsync(cancellationToken);
        if (offset.Duration() > TimeSpan.FromSeconds(5))
        {
            reporter.Warning(
                $"this machine's clock is {offset.Duration().TotalSeconds:0.#} s {(offset > TimeSpan.Zero ? "behind" : "ahead of")} the database's. " +
                "Herald uses the database's clock for leases, due times and rate limits, but other tools on this machine will not; check its time synchronisation (NTP).");
        }
    }

    private static void Print(Publication p, Uri? sandbox, Reporter reporter)
    {
        var url = sandbox is null ? p.Url : SandboxConnection.PostUrl(sandbox, p.Platform, p.ExternalId) ?? p.Url;
        // Printed as each publication completes, without a database round trip: the short id's usual length.
        var id = PublicationLookup.RandomPart(p.Id)[..PublicationLookup.ShortIdLength];
        var line = p.Status switch
        {
            PublicationStatus.Published => $"✓ published  {url}",
            PublicationStatus.RetryScheduled => $"↻ retry at {p.NextAttemptAt:yyyy-MM-dd HH:mm:ss} UTC: {p.LastError}",
            PublicationStatus.Scheduled => $"… waiting for a rate-limit permit until {p.NextAttemptAt:HH:mm:ss} UTC",
            PublicationStatus.AwaitingManualAction => $"✎ draft ready: herald status {id}, then herald posted {id} --url …",
            _ => $"✗ {p.Status}: {p.LastError}",
        };
        lock (reporter)
        {
            reporter.Line($"  {p.Platform,-10}{id}  {line}");
        }
    }
}
