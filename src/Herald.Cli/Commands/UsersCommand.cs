using System.Buffers.Text;
using System.CommandLine;
using System.Security.Cryptography;
using Herald.Cli.Configuration;
using Herald.Cli.Output;
using Herald.Server.Dashboard;
using Herald.Server.Dashboard.Identity;
using Herald.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Cli.Commands;

/// <summary>
/// <c>herald users add NAME [--password-stdin]</c>: a dashboard admin, in the server's database — what the server's
/// one-time setup link does, from the command line. Without <c>--password-stdin</c> a strong password is made and
/// printed once; only its hash is stored.
/// </summary>
internal static class UsersCommand
{
    public static Command Create(TextWriter output, TextWriter error, TextReader input)
    {
        var command = new Command("users", "Manage the dashboard's users.");
        var name = new Argument<string>("name") { Description = "The user name to sign in with, e.g. admin or an email address." };
        var fromStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input instead of making one." };
        var add = new Command("add", "Add a dashboard admin (the password is made and printed once, or read with --password-stdin).") { name, fromStdin };
        add.Add(CommonOptions.Config);
        add.SetAction(async (parse, cancellationToken) =>
        {
            var reporter = new Reporter(output, error);
            var made = !parse.GetValue(fromStdin);
            var password = made ? MakePassword() : (await input.ReadLineAsync(cancellationToken))?.TrimEnd('\r') ?? "";
            try
            {
                var configuration = CliConfiguration.Build(parse.GetValue(CommonOptions.Config));
                var services = new ServiceCollection();
                CliServices.Add(services, configuration, verbose: false);
                services.AddHeraldDashboardData(HeraldDatabase.ResolveConnectionString(configuration));
                await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
                await provider.MigrateHeraldDatabaseAsync(cancellationToken);
                await provider.MigrateHeraldDashboardDatabaseAsync(cancellationToken);
                await using var scope = provider.CreateAsyncScope();
                var userName = parse.GetRequiredValue(name);
                var problems = await scope.ServiceProvider.GetRequiredService<DashboardUsers>().AddAdminAsync(userName, password);
                if (problems.Count > 0)
                {
                    foreach (var (field, problem) in problems)
                    {
                        reporter.Error($"{field}: {problem}");
                    }

                    return HeraldCommandLine.BadInput;
                }

                reporter.Line($"Dashboard admin '{userName.Trim()}' added.");
                if (made)
                {
                    reporter.Line($"Password: {password}");
                    reporter.Line("Copy it now: it is not shown again. Sign in at the server's /login page.");
                }

                return HeraldCommandLine.Ok;
            }
            catch (CliInputException ex)
            {
                reporter.Error(ex.Message);
                return HeraldCommandLine.BadInput;
            }
        });
        command.Add(add);
        return command;
    }

    /// <summary>A password that meets the dashboard's rules: 24 random characters with a digit and both cases added.</summary>
    private static string MakePassword() => "Hk7-" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(18));
}
