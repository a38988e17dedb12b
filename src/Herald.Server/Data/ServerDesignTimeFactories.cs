using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Herald.Server.Data;

/// <summary>Lets <c>dotnet ef migrations add … --context SqliteServerDbContext</c> build the model without a host.</summary>
internal sealed class SqliteServerDesignTimeFactory : IDesignTimeDbContextFactory<SqliteServerDbContext>
{
    public SqliteServerDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteServerDbContext>()
            .UseSqlite("Data Source=design-time.db", o => o.MigrationsHistoryTable(ServerDbContext.MigrationsHistoryTable))
            .Options);
}

/// <summary>Lets <c>dotnet ef migrations add … --context PostgresServerDbContext</c> build the model without a server.</summary>
internal sealed class PostgresServerDesignTimeFactory : IDesignTimeDbContextFactory<PostgresServerDbContext>
{
    public PostgresServerDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresServerDbContext>()
            .UseNpgsql("Host=localhost;Database=herald_design", o => o.MigrationsHistoryTable(ServerDbContext.MigrationsHistoryTable))
            .Options);
}
