using Herald.Server.Dashboard;
using Herald.Server.Dashboard.Identity;
using Herald.Storage.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Herald.Server.Tests;

/// <summary>
/// The keys that sign dashboard cookies and antiforgery tokens live in Herald's database, encrypted with the
/// credential key, so another server node on the same database (or this one after a restart) reads what this one signed.
/// </summary>
public abstract class DataProtectionTests(ServerFactory server)
{
    [Fact]
    public async Task Keys_AreInTheDatabase_Encrypted_AndAnotherNodeReadsWhatThisOneProtected()
    {
        using var client = server.CreateClient();
        await client.GetAsync(new Uri("/login", UriKind.Relative)); // the sign-in form's antiforgery token needs a key
        var sealedText = server.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("herald-test").Protect("signed in");

        await using (var scope = server.Services.CreateAsyncScope())
        {
            var keys = await scope.ServiceProvider.GetRequiredService<DashboardIdentityDbContext>().DataProtectionKeys.AsNoTracking().ToListAsync();
            Assert.NotEmpty(keys);
            Assert.All(keys, k => Assert.Contains(DataProtectionKeyEncryptor.ElementName, k.Xml, StringComparison.Ordinal));
            // The key material itself never appears in clear.
            Assert.All(keys, k => Assert.DoesNotContain("<masterKey", k.Xml, StringComparison.Ordinal));
        }

        // Another node: its own services on the same database and credential key, nothing shared in memory.
        var other = new ServiceCollection();
        other.AddLogging();
        other.AddSingleton(server.Services.GetRequiredService<CredentialProtector>());
        if (server.Database == TestDatabase.PostgreSql)
        {
            other.AddSingleton(_ => NpgsqlDataSource.Create(server.ConnectionString));
        }

        other.AddHeraldDashboardData(server.ConnectionString);
        other.AddHeraldDataProtection();
        await using var node = other.BuildServiceProvider();
        Assert.Equal("signed in", node.GetRequiredService<IDataProtectionProvider>().CreateProtector("herald-test").Unprotect(sealedText));
    }
}

/// <summary>On SQLite.</summary>
public sealed class SqliteDataProtectionTests(SqliteServerFactory server) : DataProtectionTests(server), IClassFixture<SqliteServerFactory>;

/// <summary>On PostgreSQL.</summary>
public sealed class PostgresDataProtectionTests(PostgresServerFactory server) : DataProtectionTests(server), IClassFixture<PostgresServerFactory>;
