using Herald.Accounts;
using Herald.Publications;
using Herald.Storage;
using Herald.Storage.Queue;
using Herald.Storage.RateLimiting;
using Herald.Storage.Security;
using Herald.Workers;
using Herald.Workers.RateLimiting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Microsoft.Extensions.DependencyInjection;

public static class HeraldStorageServiceCollectionExtensions
{
    /// <summary>The environment variable that holds the credential key when no setting does.</summary>
    public const string CredentialKeyVariable = "HERALD_CREDENTIAL_KEY";

    /// <summary>
    /// Adds Herald's storage on the database <paramref name="connectionString"/> names: SQLite
    /// (<c>Data Source=…</c>) or PostgreSQL (<c>Host=…</c> or a <c>postgres://</c> URL). Credentials are
    /// encrypted with <paramref name="credentialKey"/> (base64, 32 bytes), else <c>HERALD_CREDENTIAL_KEY</c>,
    /// else — for SQLite only — a <c>herald.key</c> file created beside the database.
    /// </summary>
    public static IServiceCollection AddHeraldStorage(this IServiceCollection services, string connectionString, string? credentialKey = null)
    {
        var normalized = HeraldDatabase.Normalize(connectionString);
        var provider = HeraldDatabase.DetectProvider(normalized);
        services.AddSingleton(sp =>
        {
            var protector = CreateProtector(normalized, provider, credentialKey);
            if (protector.KeyFileWarning is { } warning && sp.GetService<ILoggerFactory>() is { } loggers)
            {
                StorageLog.KeyFileReadableByOthers(loggers.CreateLogger("Herald.Storage"), warning);
            }

            return protector;
        });
        if (provider == DatabaseProvider.Sqlite)
        {
            // Pooled: a worker runs every attempt in a scope of its own (HeraldOptionsExtension).
            services.AddDbContextPool<SqliteHeraldDbContext>((sp, o) => o
                .UseSqlite(normalized, sqlite => sqlite.MigrationsAssembly(typeof(HeraldDbContext).Assembly.FullName))
                .ReplaceService<IModelCacheKeyFactory, HeraldModelCacheKeyFactory>()
                .UseHeraldCredentials(sp.GetRequiredService<CredentialProtector>()));
            services.AddScoped<HeraldDbContext>(sp => sp.GetRequiredService<SqliteHeraldDbContext>());
        }
        else
        {
            // One connection pool per process for Herald's tables: EF Core and the queue share the data source.
            services.AddSingleton(_ => NpgsqlDataSource.Create(HeraldDatabase.WithPostgresDefaults(normalized)));
            services.AddDbContextPool<PostgresHeraldDbContext>((sp, o) => o
                .UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>())
                .ReplaceService<IModelCacheKeyFactory, HeraldModelCacheKeyFactory>()
                .UseHeraldCredentials(sp.GetRequiredService<CredentialProtector>()));
            services.AddScoped<HeraldDbContext>(sp => sp.GetRequiredService<PostgresHeraldDbContext>());
        }

        services.AddSingleton(new HeraldDatabaseInfo(provider, normalized));
        services.AddScoped<IPublicationStore, PublicationStore>();
        services.AddSingleton<KnownAccounts>();
        services.AddScoped<Herald.Storage.Accounts.AccountDirectory>();
        services.AddScoped<Herald.Media.IMediaStore, Herald.Storage.Media.MediaStore>();
        services.AddSingleton<OutcomeWriter>();
        // Replaces the in-memory default of AddHerald, whichever is called first.
        services.RemoveAll<IAccountCredentialsStore>();
        services.AddSingleton<IAccountCredentialsStore, AccountCredentialsStore>();
        AddQueue(services, provider, normalized);
        return services;
    }

    /// <summary>Applies every pending migration (creating the database file for SQLite). Safe to call at every start.</summary>
    public static async Task MigrateHeraldDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var info = services.GetRequiredService<HeraldDatabaseInfo>();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
        try
        {
            if (info.Provider == DatabaseProvider.Sqlite)
            {
                // Herald's own folder and database file are its owner's only (the folder 0700, the file 0600; SQLite
                // gives its -wal and -shm files the database file's mode). Existing ones are left as the user set them.
                var path = Path.GetFullPath(new SqliteConnectionStringBuilder(info.ConnectionString).DataSource);
                CredentialProtector.CreatePrivateDirectory(Path.GetDirectoryName(path)!);
                if (!OperatingSystem.IsWindows() && !File.Exists(path))
                {
                    try
                    {
                        new FileStream(path, new FileStreamOptions
                        {
                            Mode = FileMode.CreateNew,
                            Access = FileAccess.Write,
                            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                        }).Dispose();
                    }
                    catch (IOException) when (File.Exists(path))
                    {
                        // Another process created it first.
                    }
                }
            }

            if (info.Provider == DatabaseProvider.PostgreSql)
            {
                // One process at a time, under the lock every Herald context migrates under.
                await db.Database.MigrateHeraldAsync(cancellationToken);
                // Every command starts here: leases and due times it writes are on the database's clock from now on.
                if (services.GetService<IDatabaseClock>() is { } clock)
                {
                    await clock.SyncAsync(cancellationToken);
                }
            }
            else
            {
                await db.Database.MigrateAsync(cancellationToken);
            }

            if (info.Provider == DatabaseProvider.Sqlite)
            {
                // WAL lets readers (status, dashboard) work while a worker writes; it persists in the file.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }
        }
        catch (Exception ex) when (PostgresCause(ex) is { SqlState: PostgresErrorCodes.RaiseException } refused)
        {
            // A migration's own check refused the rows it found; its message says which and what to do.
            throw new InvalidOperationException(
                $"Herald cannot upgrade its database ({HeraldDatabase.Describe(info.ConnectionString)}): {refused.MessageText}", ex);
        }
        catch (Exception ex) when (PostgresCause(ex) is { SqlState: PostgresErrorCodes.LockNotAvailable } inUse)
        {
            // EF Core reports this one wrapped, as a transient failure.
            throw new InvalidOperationException(
                $"Herald cannot upgrade its database ({HeraldDatabase.Describe(info.ConnectionString)}): a table it changes is in use " +
                $"({inUse.MessageText}). Stop Herald's workers and any long transaction on that database, then start again.",
                ex);
        }
        catch (Exception ex) when (ex is TimeoutException || ex.InnerException is TimeoutException)
        {
            throw new InvalidOperationException(
                $"Herald's database ({HeraldDatabase.Describe(info.ConnectionString)}) did not answer in time: {ex.Message.TrimEnd('.')}. " +
                "Another Herald process may be upgrading it; try again once it has started.",
                ex);
        }
        catch (Exception ex) when (ex is NpgsqlException or SqliteException)
        {
            throw new InvalidOperationException(
                $"Herald cannot open its database ({HeraldDatabase.Describe(info.ConnectionString)}): {ex.Message.TrimEnd('.')}. " +
                (info.Provider == DatabaseProvider.PostgreSql
                    ? "Check that PostgreSQL is running and the role, password and database exist."
                    : "Check that the folder is writable."),
                ex);
        }
    }

    /// <summary>The PostgreSQL error at the root of <paramref name="ex"/>, if there is one.</summary>
    private static PostgresException? PostgresCause(Exception ex)
    {
        for (var current = ex; current is not null; current = current.InnerException)
        {
            if (current is PostgresException postgres)
            {
                return postgres;
            }
        }

        return null;
    }

    /// <summary>
    /// The dispatcher's queries; with PostgreSQL also the cross-process wake-up (LISTEN/NOTIFY) and the shared
    /// rate limiters. These replace the in-process defaults that <c>AddHerald</c> registers.
    /// </summary>
    private static void AddQueue(IServiceCollection services, DatabaseProvider provider, string connectionString)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            services.AddSingleton<IPublicationQueue>(new SqlitePublicationQueue(connectionString));
            return;
        }

        services.AddSingleton<IPublicationQueue, PostgresPublicationQueue>();
        services.AddSingleton<PostgresDueChannel>();
        services.AddSingleton<IDueNotifier>(sp => sp.GetRequiredService<PostgresDueChannel>());
        services.AddSingleton<IDueListener>(sp => sp.GetRequiredService<PostgresDueChannel>());
        services.TryAddSingleton(new PostgresRateLimitHold(TimeSpan.FromMinutes(5)));
        services.AddSingleton<IPublishRateLimiters, PostgresPublishRateLimiters>();
        UseDatabaseClock(services);
    }

    /// <summary>
    /// Several machines share leases, due times and rate windows, so they must read one clock: the database's. The
    /// wall clock of this process becomes PostgreSQL's (its own clock plus the measured offset; timers and
    /// durations stay on the local monotonic clock). A host that brought its own <see cref="TimeProvider"/> (a
    /// test's fake clock) keeps it.
    /// </summary>
    private static void UseDatabaseClock(IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(TimeProvider));
        if (registered is not null && !ReferenceEquals(registered.ImplementationInstance, TimeProvider.System))
        {
            return;
        }

        services.RemoveAll<TimeProvider>();
        services.AddSingleton(sp => new DatabaseClock(sp.GetRequiredService<NpgsqlDataSource>(), TimeProvider.System));
        services.AddSingleton<IDatabaseClock>(sp => sp.GetRequiredService<DatabaseClock>());
        services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<DatabaseClock>());
    }

    private static CredentialProtector CreateProtector(string connectionString, DatabaseProvider provider, string? credentialKey)
    {
        var key = credentialKey ?? Environment.GetEnvironmentVariable(CredentialKeyVariable);
        if (!string.IsNullOrWhiteSpace(key))
        {
            return CredentialProtector.FromBase64(key, credentialKey is null ? CredentialKeyVariable : "Herald:CredentialKey");
        }

        if (provider == DatabaseProvider.PostgreSql)
        {
            throw new InvalidOperationException(
                "With PostgreSQL, Herald needs a credential key shared by every machine: set Herald:CredentialKey " +
                $"or {CredentialKeyVariable} to 32 random bytes in base64 (e.g. `openssl rand -base64 32`).");
        }

        var databasePath = Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource);
        return CredentialProtector.FromKeyFile(Path.Combine(Path.GetDirectoryName(databasePath)!, "herald.key"));
    }
}

/// <summary>Which database this process uses.</summary>
public sealed record HeraldDatabaseInfo(DatabaseProvider Provider, string ConnectionString);
