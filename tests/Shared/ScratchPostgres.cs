using Npgsql;

namespace Herald.Testing;

/// <summary>
/// A throw-away database in the test PostgreSQL that ./test.sh starts and names in HERALD_TEST_POSTGRES.
/// Each test (or test class) creates its own, so tests never see each other's rows.
/// </summary>
internal static class ScratchPostgres
{
    public const string Variable = "HERALD_TEST_POSTGRES";

    /// <summary>The connection string of the server's own database, from which scratch databases are made.</summary>
    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{Variable} is not set. Run the tests with ./test.sh, which starts PostgreSQL and sets it.");

    /// <summary>Creates an empty database named <paramref name="prefix"/> plus a fresh id and returns its name and connection string.</summary>
    public static async Task<(string Database, string ConnectionString)> CreateAsync(string prefix, int? maxPoolSize = null)
    {
        var admin = AdminConnectionString;
        var database = $"{prefix}_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = database };
        if (maxPoolSize is { } size)
        {
            builder.MaxPoolSize = size;
        }

        return (database, builder.ConnectionString);
    }

    /// <summary>
    /// Drops a scratch database. WITH (FORCE) ends the sessions still in it; if the server will not let this role end
    /// one (an autovacuum worker, when the role lacks pg_signal_backend), a plain DROP asks autovacuum to stop, and a
    /// database still in use is tried again until a generous deadline.
    /// </summary>
    public static async Task DropAsync(string database)
    {
        NpgsqlConnection.ClearAllPools();
        var deadline = DateTime.UtcNow.AddMinutes(1);
        var force = true;
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(AdminConnectionString);
                await connection.OpenAsync();
                var sql = $"DROP DATABASE IF EXISTS \"{database}\"" + (force ? " WITH (FORCE)" : "");
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse
                                              && DateTime.UtcNow < deadline)
            {
                if (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
                {
                    force = false;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200));
            }
        }
    }
}
