using System.CommandLine;
using Herald.Cli.Configuration;
using Herald.Cli.Output;
using Herald.Server.Hosting;
using Herald.Server.Keys;
using Herald.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Cli.Commands;

/// <summary>
/// <c>herald keys create NAME [--scope read|write|admin]…</c>, <c>herald keys list</c>, <c>herald keys revoke ID</c>:
/// the server's API keys, in its database. A new key is printed once; only its hash is stored.
/// </summary>
internal static class KeysCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("keys", "Create, list and revoke the server's API keys.");
        var name = new Argument<string>("name") { Description = "What the key is for, e.g. 'ci' or 'dashboard'." };
        var scopes = new Option<string[]>("--scope")
        {
            Description = "read, write (includes read) or admin (includes both); repeat for several. Default: write.",
            DefaultValueFactory = _ => [ApiScopes.Write],
            AllowMultipleArgumentsPerToken = true,
        };
        var create = new Command("create", "Create an API key and print it (once).") { name, scopes };
        create.Add(CommonOptions.Config);
        create.SetAction((parse, ct) => RunAsync(parse.GetValue(CommonOptions.Config), output, error, async (keys, reporter) =>
        {
            var created = await keys.CreateAsync(parse.GetRequiredValue(name), parse.GetValue(scopes) ?? [], ct);
            reporter.Line($"{created.Key}");
            reporter.Line($"API key '{created.Info.Name}' ({string.Join(", ", created.Info.Scopes)}), id {created.Info.Id:N}. " +
                "Copy it now: it is not shown again. Send it as `Authorization: Bearer <key>`.");
            return HeraldCommandLine.Ok;
        }, ct));

        var list = new Command("list", "List API keys: name, prefix, scopes, created, last used, revoked.");
        list.Add(CommonOptions.Config);
        list.SetAction((parse, ct) => RunAsync(parse.GetValue(CommonOptions.Config), output, error, async (keys, reporter) =>
        {
            var all = await keys.ListAsync(ct);
            if (all.Count == 0)
            {
                reporter.Line("No API keys yet: herald keys create NAME --scope write");
            }

            foreach (var key in all)
            {
                reporter.Line($"{key.Id:N}  {key.Prefix}…  {key.Name,-20} {string.Join(",", key.Scopes),-16} created {key.CreatedAt:yyyy-MM-dd HH:mm}" +
                    $"  last used {(key.LastUsedAt is { } used ? used.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) : "never")}" +
                    (key.RevokedAt is { } revoked ? $"  REVOKED {revoked:yyyy-MM-dd HH:mm}" : ""));
            }

            return HeraldCommandLine.Ok;
        }, ct));

        var id = new Argument<string>("id") { Description = "The key's id or its prefix (hk_…) as `herald keys list` shows them." };
        var revoke = new Command("revoke", "Revoke an API key at once.") { id };
        revoke.Add(CommonOptions.Config);
        revoke.SetAction((parse, ct) => RunAsync(parse.GetValue(CommonOptions.Config), output, error, async (keys, reporter) =>
        {
            var wanted = parse.GetRequiredValue(id);
            if (await keys.RevokeAsync(wanted, ct) is not { } revoked)
            {
                reporter.Error($"id: no API key has the id or prefix '{wanted}' (see herald keys list)");
                return HeraldCommandLine.BadInput;
            }

            reporter.Line($"Revoked '{revoked.Name}' ({revoked.Prefix}…).");
            return HeraldCommandLine.Ok;
        }, ct));

        command.Add(create);
        command.Add(list);
        command.Add(revoke);
        return command;
    }

    private static async Task<int> RunAsync(
        FileInfo? config, TextWriter output, TextWriter error, Func<ApiKeys, Reporter, Task<int>> work, CancellationToken cancellationToken)
    {
        var reporter = new Reporter(output, error);
        try
        {
            var configuration = CliConfiguration.Build(config);
            var services = new ServiceCollection();
            CliServices.Add(services, configuration, verbose: false);
            services.AddHeraldServerData(HeraldDatabase.ResolveConnectionString(configuration));
            await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
            await provider.MigrateHeraldServerDatabaseAsync(cancellationToken);
            await using var scope = provider.CreateAsyncScope();
            return await work(scope.ServiceProvider.GetRequiredService<ApiKeys>(), reporter);
        }
        catch (Exception ex) when (ex is ApiKeyInputException or CliInputException)
        {
            reporter.Error(ex.Message);
            return HeraldCommandLine.BadInput;
        }
    }
}
