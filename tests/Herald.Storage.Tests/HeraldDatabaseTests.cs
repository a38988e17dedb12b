using Microsoft.Extensions.Configuration;

namespace Herald.Storage.Tests;

public sealed class HeraldDatabaseTests
{
    [Theory]
    [InlineData("Data Source=/tmp/herald.db", DatabaseProvider.Sqlite)]
    [InlineData("/var/lib/herald/herald.db", DatabaseProvider.Sqlite)]
    [InlineData("Host=db;Database=herald;Username=h", DatabaseProvider.PostgreSql)]
    [InlineData("postgres://h:pw@db:5433/herald", DatabaseProvider.PostgreSql)]
    [InlineData("postgresql://h@db/herald", DatabaseProvider.PostgreSql)]
    public void DetectProvider_KnownForms_PicksTheProvider(string connectionString, DatabaseProvider expected) =>
        Assert.Equal(expected, HeraldDatabase.DetectProvider(HeraldDatabase.Normalize(connectionString)));

    [Fact]
    public void DetectProvider_Nonsense_SaysWhatItAccepts()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => HeraldDatabase.DetectProvider("mysql:whatever"));

        Assert.Contains("Herald:Database", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_PostgresUrl_BecomesNpgsqlKeywords()
    {
        var result = HeraldDatabase.Normalize("postgres://herald:p%40ss@db.internal:5433/herald_prod?sslmode=require");

        Assert.Contains("Host=db.internal", result, StringComparison.Ordinal);
        Assert.Contains("Port=5433", result, StringComparison.Ordinal);
        Assert.Contains("Database=herald_prod", result, StringComparison.Ordinal);
        Assert.Contains("Username=herald", result, StringComparison.Ordinal);
        Assert.Contains("Password=p@ss", result, StringComparison.Ordinal);
        Assert.Contains("SSL Mode=Require", result, StringComparison.Ordinal);
    }

    [Fact]
    public void WithPostgresDefaults_PreparesStatementsUnlessTheConnectionStringSays()
    {
        Assert.Equal(HeraldDatabase.DefaultMaxAutoPrepare,
            new Npgsql.NpgsqlConnectionStringBuilder(HeraldDatabase.WithPostgresDefaults("Host=db;Database=herald;Username=h")).MaxAutoPrepare);
        Assert.Equal("Host=db;Max Auto Prepare=0", HeraldDatabase.WithPostgresDefaults("Host=db;Max Auto Prepare=0"));
        Assert.Equal("Host=db;maxautoprepare=5", HeraldDatabase.WithPostgresDefaults("Host=db;maxautoprepare=5"));

        // The URL form can turn it off too (behind a pooler that cannot keep prepared statements).
        foreach (var url in new[] { "postgres://h@db/herald?maxautoprepare=0", "postgres://h@db/herald?sslmode=require&Max%20Auto%20Prepare=0" })
        {
            Assert.Equal(0, new Npgsql.NpgsqlConnectionStringBuilder(HeraldDatabase.WithPostgresDefaults(HeraldDatabase.Normalize(url))).MaxAutoPrepare);
        }

        var bad = Assert.Throws<InvalidOperationException>(() => HeraldDatabase.Normalize("postgres://h@db/herald?maxautoprepare=off"));
        Assert.Contains("maxautoprepare must be a whole number", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveConnectionString_HeraldDatabaseWinsOverPostgresDsn()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Herald:Database"] = "Data Source=/tmp/a.db",
            ["POSTGRES_DSN"] = "postgres://h@db/herald",
        }).Build();

        Assert.Equal("Data Source=/tmp/a.db", HeraldDatabase.ResolveConnectionString(configuration));
    }

    [Fact]
    public void ResolveConnectionString_OnlyPostgresDsn_UsesIt()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["POSTGRES_DSN"] = "postgres://h:pw@db:5432/herald",
        }).Build();

        Assert.Equal(DatabaseProvider.PostgreSql, HeraldDatabase.DetectProvider(HeraldDatabase.ResolveConnectionString(configuration)));
    }

    [Fact]
    public void Describe_PostgresConnection_MasksThePassword()
    {
        var described = HeraldDatabase.Describe("Host=db;Database=herald;Username=h;Password=hunter2");

        Assert.DoesNotContain("hunter2", described, StringComparison.Ordinal);
        Assert.Contains("Password=***", described, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultSqlitePath_IsUnderTheUsersDataFolder() =>
        Assert.EndsWith(Path.Combine("herald", "herald.db"), HeraldDatabase.DefaultSqlitePath, StringComparison.Ordinal);
}
