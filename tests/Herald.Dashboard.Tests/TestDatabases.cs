using Herald.Server.Dashboard;
using Herald.Server.Hosting;
using Herald.Storage;
using Herald.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Dashboard.Tests;

/// <summary>The databases the data tests run on: real SQLite and real PostgreSQL.</summary>
internal static class TestDatabases
{
    /// <summary>
    /// Runs <paramref name="test"/> with Herald's, the server's and the dashboard's services on a fresh, migrated
    /// database: a temp SQLite file or a scratch PostgreSQL database; <paramref name="configure"/> adds more services.
    /// </summary>
    public static async Task WithDatabaseAsync(string database, Func<IServiceProvider, Task> test, Action<IServiceCollection>? configure = null)
    {
        string connectionString;
        string? scratch = null;
        var directory = Directory.CreateTempSubdirectory("herald-dashboard-data-").FullName;
        if (database == "postgresql")
        {
            (scratch, connectionString) = await ScratchPostgres.CreateAsync("herald_dashboard");
        }
        else
        {
            connectionString = $"Data Source={Path.Combine(directory, "herald.db")}";
        }

        try
        {
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddSingleton(TimeProvider.System);
            configure?.Invoke(services);
            services.AddHeraldStorage(connectionString, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
            services.AddHeraldServerData(connectionString);
            services.AddHeraldDashboardData(connectionString);
            await using var provider = services.BuildServiceProvider();
            await provider.MigrateHeraldServerDatabaseAsync();
            await provider.MigrateHeraldDashboardDatabaseAsync();
            await test(provider);
        }
        finally
        {
            if (scratch is not null)
            {
                await ScratchPostgres.DropAsync(scratch);
            }

            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A pooled connection still holds the file; the temp folder is cleaned by the system.
            }
        }
    }
}
