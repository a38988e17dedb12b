using Herald.Accounts;
using Herald.Contents;
using Herald.Platforms;
using Herald.Publications;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;
using Herald.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Herald.Benchmarks;

/// <summary>A fresh database per scenario (PostgreSQL in the test cluster, or a SQLite file), seeded through Herald's own model.</summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string _admin;
    private readonly string? _name;
    private readonly string? _directory;

    private BenchDatabase(string connectionString, string admin, string? name, string? directory)
    {
        ConnectionString = connectionString;
        _admin = admin;
        _name = name;
        _directory = directory;
    }

    public string ConnectionString { get; }

    public bool IsPostgres => _name is not null;

    public static async Task<BenchDatabase> CreateAsync(string admin, bool postgres)
    {
        if (!postgres)
        {
            var directory = Directory.CreateTempSubdirectory("herald-bench-").FullName;
            return new BenchDatabase($"Data Source={Path.Combine(directory, "herald.db")}", admin, null, directory);
        }

        var name = $"herald_bench_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new BenchDatabase(new NpgsqlConnectionStringBuilder(admin) { Database = name, MaxPoolSize = 25 }.ConnectionString, admin, name, null);
    }

    /// <summary>Stores <paramref name="count"/> articles due at <paramref name="due"/> over <paramref name="accounts"/> sandbox users.</summary>
    public static Task<List<Guid>> SeedAsync(IServiceProvider services, SandboxServer sandbox, int count, int accounts, DateTimeOffset due) =>
        SeedAsync(services, sandbox.PlatformBaseUrl("devto"), (key, i) => sandbox.State.DevTo.AddUser(key, $"b{i}_{Guid.NewGuid():N}"[..16]), count, accounts, due);

    /// <summary>
    /// Stores <paramref name="count"/> articles due at <paramref name="due"/> over <paramref name="accounts"/> Dev.to
    /// accounts at <paramref name="baseUrl"/>; <paramref name="register"/> (when given) makes each API key known there first.
    /// </summary>
    public static async Task<List<Guid>> SeedAsync(
        IServiceProvider services, Uri baseUrl, Action<string, int>? register, int count, int accounts, DateTimeOffset due) =>
        await SeedAsync(services, await AddAccountsAsync(services, baseUrl, register, accounts), count, due);

    /// <summary>Stores <paramref name="accounts"/> Dev.to accounts at <paramref name="baseUrl"/> (see <see cref="SeedAsync(IServiceProvider, Uri, Action{string, int}?, int, int, DateTimeOffset)"/>).</summary>
    public static async Task<List<Account>> AddAccountsAsync(IServiceProvider services, Uri baseUrl, Action<string, int>? register, int accounts)
    {
        var stored = new List<Account>();
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
            for (var i = 0; i < accounts; i++)
            {
                var key = $"bench-{i}-{Guid.NewGuid():N}";
                register?.Invoke(key, i);
                var account = new Account
                {
                    Platform = "devto",
                    DisplayName = $"bench-{Guid.NewGuid():N}",
                    BaseUrl = baseUrl,
                    Credentials = new AccountCredentials { ["api_key"] = key },
                };
                db.Accounts.Add(account);
                stored.Add(account);
            }

            await db.SaveChangesAsync();
        }

        return stored;
    }

    /// <summary>
    /// Stores <paramref name="count"/> articles due at <paramref name="due"/> over <paramref name="stored"/> (round
    /// robin): a worker's rounds reuse its accounts, as a user's posts do, instead of adding accounts each round.
    /// </summary>
    public static async Task<List<Guid>> SeedAsync(IServiceProvider services, IReadOnlyList<Account> stored, int count, DateTimeOffset due)
    {
        var accounts = stored.Count;
        var devTo = services.GetRequiredService<PlatformRegistry>().Resolve("devto");
        var ids = new List<Guid>(count);
        for (var start = 0; start < count; start += 5000)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = start; i < Math.Min(count, start + 5000); i++)
            {
                var content = new Content
                {
                    Title = $"Benchmark article {i} {Guid.NewGuid():N}",
                    Body = $"Benchmark body {i}.\n\nA second paragraph with a [link](https://example.com/{i}).",
                    Tags = ["dotnet", "bench"],
                    CanonicalUrl = new Uri($"https://blog.example.com/bench/{Guid.NewGuid():N}"),
                };
                db.Contents.Add(content);
                var publication = Publication.Create(content.Id, stored[i % accounts].Id, "devto", due, "UTC", 3, due);
                // As the scheduler does: the payload is rendered and stored when the publication is accepted.
                publication.SetPayload(devTo.Render(content, stored[i % accounts]).Body, due);
                db.Publications.Add(publication);
                ids.Add(publication.Id.Value);
            }

            await db.SaveChangesAsync();
        }

        return ids;
    }

    /// <summary>Makes <paramref name="ids"/> due at <paramref name="at"/> in one statement, as if their time had come.</summary>
    public static async Task MakeDueAsync(IServiceProvider services, IReadOnlyCollection<Guid> ids, DateTimeOffset at)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
        var wanted = ids.Select(id => new PublicationId(id)).ToList();
        await db.Publications.Where(p => wanted.Contains(p.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.NextAttemptAt, at).SetProperty(p => p.ScheduledAt, at));
    }

    /// <summary>
    /// Empties the articles and everything stored of them (publications, attempts); accounts stay. A warm-up that
    /// wrote tens of thousands of rows leaves the timed run the tables it would have found without it.
    /// </summary>
    public static async Task ForgetArticlesAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<HeraldDbContext>().Database.ExecuteSqlRawAsync("TRUNCATE contents CASCADE");
    }

    public async ValueTask DisposeAsync()
    {
        if (_directory is not null)
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
            return;
        }

        NpgsqlConnection.ClearAllPools();
        if (Environment.GetEnvironmentVariable("HERALD_BENCH_KEEP_DATABASE") == "1")
        {
            // To look at the plans afterwards (EXPLAIN ANALYZE on the same rows); drop it by hand.
            Console.WriteLine($"  kept PostgreSQL database {_name} (HERALD_BENCH_KEEP_DATABASE=1)");
            return;
        }

        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
