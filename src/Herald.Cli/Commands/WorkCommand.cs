using System.CommandLine;
using Herald.Cli.Configuration;
using Herald.Cli.Output;
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
        var plain = new Option<bool>("--plain") { Description = "Plain lines, one per finished attempt, instead of the live table (also when output is not a terminal, or NO_COLOR is set)." };
        var command = new Command("work", "Run Herald's workers in the foreground until stopped (Ctrl+C).") { sandbox, quiet, plain };
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
                WarnAboutClockSkew(host.Services, reporter);
                var clock = host.Services.GetRequiredService<TimeProvider>();
                var progress = new WorkProgress(p => server is null ? p.Url : SandboxConnection.PostUrl(server.BaseAddress, p.Platform, p.ExternalId) ?? p.Url);
                host.Services.GetRequiredService<BatchExecutor>().PublicationFinished += progress.Done;
                host.Services.GetRequiredService<PartProgress>().Changed += progress.Sending;
                var live = !parse.GetValue(quiet) && WorkDisplay.IsLive(output, parse.GetValue(plain));
                if (!parse.GetValue(quiet) && !live)
                {
                    // Printed as each publication completes, without a database round trip: the short id's usual length.
                    progress.Finished += row =>
                    {
                        lock (reporter)
                        {
                            reporter.Line($"  {row.Platform,-10}{row.Id}  {row.Text}");
                        }
                    };
                }

                var database = host.Services.GetRequiredService<HeraldDatabaseInfo>();
                var heading = $"Herald workers running on {database.Provider}" +
                    (server is null ? "" : $" with a sandbox at {server.BaseAddress}") + ". Press Ctrl+C to stop.";
                var queue = host.Services.GetRequiredService<IPublicationQueue>();
                if (live)
                {
                    var running = RunUntilStoppedAsync(host, cancellationToken);
                    await WorkDisplay.RunLiveAsync(heading, progress, clock, running, async () => progress.NextDue = await NextDueAsync(queue));
                    await running;
                }
                else
                {
                    reporter.Line(heading);
                    await RunUntilStoppedAsync(host, cancellationToken);
                }

                // The host is stopped but not yet disposed: the queue can still say what waits.
                progress.NextDue = await NextDueAsync(queue);

                reporter.Line($"Workers stopped: {progress.Summary(clock)}.");
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
    private static void WarnAboutClockSkew(IServiceProvider services, Reporter reporter)
    {
        if (services.GetService<IDatabaseClock>() is not { } clock)
        {
            return;
        }

        // Measured as the database was prepared for this command (MigrateHeraldDatabaseAsync).
        var offset = clock.Offset;
        if (offset.Duration() > TimeSpan.FromSeconds(5))
        {
            reporter.Warning(
                $"this machine's clock is {offset.Duration().TotalSeconds:0.#} s {(offset > TimeSpan.Zero ? "behind" : "ahead of")} the database's. " +
                "Herald uses the database's clock for leases, due times and rate limits, but other tools on this machine will not; check its time synchronisation (NTP).");
        }
    }

    /// <summary>What <c>RunAsync</c> does, without disposing the host, whose services the summary still reads.</summary>
    private static async Task RunUntilStoppedAsync(IHost host, CancellationToken cancellationToken)
    {
        await host.StartAsync(cancellationToken);
        await host.WaitForShutdownAsync(cancellationToken);
    }

    /// <summary>When the queue next has something due; null when the database cannot say now (the display keeps going).</summary>
    private static async Task<DateTimeOffset?> NextDueAsync(IPublicationQueue queue)
    {
        try
        {
            return await queue.NextWakeAsync();
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.Data.Common.DbException or TimeoutException)
        {
            return null;
        }
    }
}
