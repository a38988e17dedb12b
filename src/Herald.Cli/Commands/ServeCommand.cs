using System.CommandLine;
using Herald.Cli.Configuration;
using Herald.Cli.Output;
using Herald.Server.Dashboard.Setup;
using Herald.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Herald.Cli.Commands;

/// <summary>
/// <c>herald serve [--role all|api|worker] [--urls URL] [--sandbox]</c>: the REST API and the workers in one process
/// (by default on http://127.0.0.1:5080) until Ctrl+C; in-flight attempts finish before it stops.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var role = new Option<string>("--role")
        {
            Description = "all: API and workers (default); api: the REST API only; worker: the workers only (PostgreSQL, several machines).",
            DefaultValueFactory = _ => "all",
        };
        role.AcceptOnlyFromAmong("all", "api", "worker");
        var urls = new Option<string?>("--urls") { Description = $"Where to listen, e.g. http://127.0.0.1:8080 (default {HeraldServerOptions.DefaultUrl}: loopback only; put a TLS reverse proxy in front to serve others)." };
        var sandbox = new Option<bool>("--sandbox") { Description = "Run the platform sandbox in this process and offer its accounts (one per platform, no credentials needed)." };
        var command = new Command("serve", "Run the Herald server: REST API (/api/v1, docs at /api/docs) and workers, until Ctrl+C.") { role, urls, sandbox };
        command.Add(CommonOptions.Config);
        command.Add(CommonOptions.Verbose);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var reporter = new Reporter(output, error);
            try
            {
                var configuration = CliConfiguration.Build(parse.GetValue(CommonOptions.Config));
                var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
                builder.Configuration.AddConfiguration(configuration);
                var overrides = new Dictionary<string, string?> { [$"{HeraldServerOptions.Section}:Role"] = parse.GetValue(role) };
                if (parse.GetValue(sandbox))
                {
                    overrides[$"{HeraldServerOptions.Section}:Sandbox"] = "true";
                }

                if (parse.GetValue(urls) is { Length: > 0 } listen)
                {
                    overrides["urls"] = listen;
                }

                builder.Configuration.AddInMemoryCollection(overrides);
                if (!parse.GetValue(CommonOptions.Verbose))
                {
                    builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
                }

                builder.AddHeraldServer();
                // The dashboard's one-time setup link goes where this command writes, not to the log.
                builder.Services.AddSingleton(new DashboardConsole(output));
                await using var app = builder.Build();
                app.MapHeraldServer();
                await app.StartAsync(cancellationToken);
                reporter.Line($"Herald server on {string.Join(", ", app.Urls)} — dashboard at /, API under /api/v1, reference at /api/docs. " +
                    "Create a key with `herald keys create NAME --scope write`. Press Ctrl+C to stop.");
                await app.WaitForShutdownAsync(cancellationToken);
                await app.StopAsync(CancellationToken.None);
                reporter.Line("Server stopped.");
                return HeraldCommandLine.Ok;
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or CliInputException)
            {
                reporter.Error(ex.Message);
                return HeraldCommandLine.BadInput;
            }
        });
        return command;
    }
}
