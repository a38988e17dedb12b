using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Herald.Server.Dashboard.Identity;

/// <summary>Lets <c>dotnet ef migrations add … --context SqliteDashboardIdentityDbContext</c> build the model without a host.</summary>
internal sealed class SqliteDashboardDesignTimeFactory : IDesignTimeDbContextFactory<SqliteDashboardIdentityDbContext>
{
    public SqliteDashboardIdentityDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteDashboardIdentityDbContext>()
            .UseSqlite("Data Source=design-time.db", o => o.MigrationsHistoryTable(DashboardIdentityDbContext.MigrationsHistoryTable))
            .Options);
}

/// <summary>Lets <c>dotnet ef migrations add … --context PostgresDashboardIdentityDbContext</c> build the model without a server.</summary>
internal sealed class PostgresDashboardDesignTimeFactory : IDesignTimeDbContextFactory<PostgresDashboardIdentityDbContext>
{
    public PostgresDashboardIdentityDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresDashboardIdentityDbContext>()
            .UseNpgsql("Host=localhost;Database=herald_design", o => o.MigrationsHistoryTable(DashboardIdentityDbContext.MigrationsHistoryTable))
            .Options);
}
