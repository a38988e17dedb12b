using System.Data.Common;
using Herald.Publications;
using Herald.Server.Dashboard;
using Herald.Server.Dashboard.Actions;
using Herald.Server.Dashboard.Identity;
using Herald.Server.Hosting;
using Herald.Storage;
using Herald.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Dashboard.Tests;

/// <summary>
/// The dashboard's sign-in tables on real SQLite and real PostgreSQL: their own migrations and history table beside
/// the library's and the server's, users made with hashed passwords and the same rules everywhere.
/// </summary>
public sealed class DashboardDataTests
{
    public static TheoryData<string> Databases => ["sqlite", "postgresql"];

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Migrations_MakeTheirOwnTablesAndHistory_AndUsersAreStoredHashed(string database)
    {
        await TestDatabases.WithDatabaseAsync(database, async provider =>
        {
            await using var scope = provider.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<DashboardUsers>();
            Assert.False(await users.AnyAsync());

            var password = $"Pw1-{Guid.NewGuid():N}";
            Assert.Empty(await users.AddAdminAsync("first", password));
            Assert.True(await users.AnyAsync());
            var manager = scope.ServiceProvider.GetRequiredService<UserManager<DashboardUser>>();
            var user = (await manager.FindByNameAsync("first"))!;
            Assert.True(await manager.CheckPasswordAsync(user, password));
            Assert.True(await manager.IsInRoleAsync(user, DashboardUsers.AdminRole));
            Assert.True(user.LockoutEnabled);

            var tables = await TablesAsync(scope.ServiceProvider.GetRequiredService<DashboardIdentityDbContext>().Database.GetDbConnection(), database);
            Assert.Contains("__herald_dashboard_migrations", tables);
            Assert.Contains("__herald_server_migrations", tables);
            Assert.Contains("dashboard_users", tables);
            var stored = string.Join("|", await ColumnTextAsync(scope.ServiceProvider.GetRequiredService<DashboardIdentityDbContext>().Database.GetDbConnection(), "dashboard_users"));
            Assert.DoesNotContain(password, stored, StringComparison.Ordinal);
        });
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task AddAdmin_RefusesWeakPasswordsTakenNamesAndBlankInput_NamingTheField(string database)
    {
        await TestDatabases.WithDatabaseAsync(database, async provider =>
        {
            await using var scope = provider.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<DashboardUsers>();
            Assert.Contains(await users.AddAdminAsync("weak", "short1A"), p => p.Field == "password");
            Assert.Contains(await users.AddAdminAsync("nodigit", "no-digits-at-All"), p => p.Field == "password");
            Assert.Equal(["userName", "password"], (await users.AddAdminAsync(" ", "")).Select(p => p.Field));
            Assert.False(await users.AnyAsync());

            Assert.Empty(await users.AddAdminAsync("taken", "Long-enough-1"));
            Assert.Contains(await users.AddAdminAsync("taken", "Long-enough-2"), p => p.Field == "userName");
        });
    }

    [Fact]
    public void Actions_OfferedInEachStatus_FollowThePublicationRules()
    {
        Assert.True(PublicationActions.CanCancel(PublicationStatus.Scheduled));
        Assert.True(PublicationActions.CanCancel(PublicationStatus.AwaitingManualAction));
        Assert.False(PublicationActions.CanCancel(PublicationStatus.Published));
        Assert.False(PublicationActions.CanCancel(PublicationStatus.Failed));
        Assert.True(PublicationActions.CanRetry(PublicationStatus.Failed));
        Assert.True(PublicationActions.CanRetry(PublicationStatus.NeedsReview));
        Assert.False(PublicationActions.CanRetry(PublicationStatus.Scheduled));
        Assert.False(PublicationActions.CanRetry(PublicationStatus.Cancelled));
        Assert.True(PublicationActions.CanReschedule(PublicationStatus.Cancelled));
        Assert.False(PublicationActions.CanReschedule(PublicationStatus.Publishing));
        Assert.False(PublicationActions.CanReschedule(PublicationStatus.Published));
        Assert.True(PublicationActions.CanMarkPosted(PublicationStatus.AwaitingManualAction));
        Assert.False(PublicationActions.CanMarkPosted(PublicationStatus.Publishing));
        Assert.False(PublicationActions.AnyAllowed(PublicationStatus.Published));
        Assert.False(PublicationActions.AnyAllowed(PublicationStatus.Publishing));
    }

    [Theory]
    [InlineData("/publications", "/publications")]
    [InlineData("/publications/1?status=Failed", "/publications/1?status=Failed")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example/", "/")]
    [InlineData("", "/")]
    [InlineData(null, "/")]
    public void ReturnUrl_StaysOnThisSite(string? returnUrl, string expected) =>
        Assert.Equal(expected, DashboardAuth.LocalOrHome(returnUrl));

    private static async Task<List<string>> TablesAsync(DbConnection connection, string database)
    {
        var sql = database == "sqlite"
            ? "SELECT name FROM sqlite_master WHERE type = 'table'"
            : "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'";
        return await ReadAsync(connection, sql);
    }

    private static Task<List<string>> ColumnTextAsync(DbConnection connection, string table) =>
        ReadAsync(connection, $"SELECT * FROM {table}");

    private static async Task<List<string>> ReadAsync(DbConnection connection, string sql)
    {
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync();
        }

        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                values.Add(reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) ?? "");
            }
        }

        return values;
    }
}
