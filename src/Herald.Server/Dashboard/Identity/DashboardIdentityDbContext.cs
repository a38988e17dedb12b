using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Herald.Server.Dashboard.Identity;

/// <summary>A person who signs in to the dashboard (ASP.NET Core Identity: hashed password, lockout).</summary>
public sealed class DashboardUser : IdentityUser;

/// <summary>
/// The dashboard's sign-in tables (users, roles, claims, logins, tokens; all named <c>dashboard_…</c>) in Herald's
/// database, with a migration history of their own (<c>__herald_dashboard_migrations</c>), so they never depend on
/// the library's or the server's migrations. <see cref="SqliteDashboardIdentityDbContext"/> and
/// <see cref="PostgresDashboardIdentityDbContext"/> carry each provider's migrations. The ASP.NET Core data
/// protection keys (which sign cookies and antiforgery tokens) live here too, encrypted with Herald's credential key,
/// so every server on one database accepts a sign-in made on another and a restart signs nobody out.
/// </summary>
public abstract class DashboardIdentityDbContext(DbContextOptions options) : IdentityDbContext<DashboardUser>(options), IDataProtectionKeyContext
{
    public const string MigrationsHistoryTable = "__herald_dashboard_migrations";

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<DashboardUser>().ToTable("dashboard_users");
        builder.Entity<IdentityRole>().ToTable("dashboard_roles");
        builder.Entity<IdentityUserRole<string>>().ToTable("dashboard_user_roles");
        builder.Entity<IdentityUserClaim<string>>().ToTable("dashboard_user_claims");
        builder.Entity<IdentityUserLogin<string>>().ToTable("dashboard_user_logins");
        builder.Entity<IdentityRoleClaim<string>>().ToTable("dashboard_role_claims");
        builder.Entity<IdentityUserToken<string>>().ToTable("dashboard_user_tokens");
        builder.Entity<DataProtectionKey>().ToTable("dashboard_data_protection_keys");
    }
}

/// <summary>The dashboard's sign-in tables in the embedded SQLite database.</summary>
public sealed class SqliteDashboardIdentityDbContext(DbContextOptions<SqliteDashboardIdentityDbContext> options) : DashboardIdentityDbContext(options);

/// <summary>The dashboard's sign-in tables in PostgreSQL.</summary>
public sealed class PostgresDashboardIdentityDbContext(DbContextOptions<PostgresDashboardIdentityDbContext> options) : DashboardIdentityDbContext(options);
