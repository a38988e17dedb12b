using Herald.DependencyInjection;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;
using Herald.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.IntegrationTests.Engine;

/// <summary>The sandbox and Herald's services on a SQLite file in a folder of their own, for the image flows.</summary>
internal sealed class ImageWorld : IAsyncDisposable
{
    private ImageWorld(string directory, SandboxServer sandbox, ServiceProvider services) =>
        (Directory, Sandbox, Services) = (directory, sandbox, services);

    public string Directory { get; }

    public SandboxServer Sandbox { get; }

    public ServiceProvider Services { get; }

    /// <summary>Starts both, Herald on <paramref name="clock"/> with the platforms <paramref name="platforms"/> adds.</summary>
    public static async Task<ImageWorld> StartAsync(TimeProvider clock, SandboxOptions sandboxOptions, Action<HeraldBuilder> platforms)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("herald-images-").FullName;
        SandboxServer? sandbox = null;
        ServiceProvider? provider = null;
        try
        {
            sandbox = await SandboxServer.StartAsync(sandboxOptions);
            var services = new ServiceCollection();
            services.AddSingleton(clock);
            platforms(services.AddHerald());
            services.AddHeraldStorage($"Data Source={Path.Combine(directory, "herald.db")}");
            provider = services.BuildServiceProvider();
            await provider.MigrateHeraldDatabaseAsync();
            return new ImageWorld(directory, sandbox, provider);
        }
        catch
        {
            // Nothing left behind when the sandbox or the database does not start.
            if (provider is not null)
            {
                await provider.DisposeAsync();
            }

            if (sandbox is not null)
            {
                await sandbox.DisposeAsync();
            }

            System.IO.Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Sandbox.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
