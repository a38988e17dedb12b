using System.Security.Cryptography;
using Herald.Storage.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Herald.Storage;

/// <summary>Lets <c>dotnet ef migrations add … --context SqliteHeraldDbContext</c> build the model without a host.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteHeraldDbContext>
{
    public SqliteHeraldDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteHeraldDbContext>().UseSqlite("Data Source=design-time.db")
            .UseHeraldCredentials(new CredentialProtector(RandomNumberGenerator.GetBytes(32))).Options);
}

/// <summary>Lets <c>dotnet ef migrations add … --context PostgresHeraldDbContext</c> build the model without a server.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresHeraldDbContext>
{
    public PostgresHeraldDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresHeraldDbContext>().UseNpgsql("Host=localhost;Database=herald_design")
            .UseHeraldCredentials(new CredentialProtector(RandomNumberGenerator.GetBytes(32))).Options);
}
