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
/// <see cref="PostgresDashboardIdentityDbContext"/> carry each provider's migrations.
/// </summary>
public abstract class DashboardIdentityDbContext(DbContextOptions options) : IdentityDbContext<DashboardUser>(options)
{
    public const string MigrationsHistoryTable = "__herald_dashboard_migrations";

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
    }
}

/// <summary>The dashboard's sign-in tables in the embedded SQLite database.</summary>
public sealed class SqliteDashboardIdentityDbContext(DbContextOptions<SqliteDashboardIdentityDbContext> options) : DashboardIdentityDbContext(options);

/// <summary>The dashboard's sign-in tables in PostgreSQL.</summary>
public sealed class PostgresDashboardIdentityDbContext(DbContextOptions<PostgresDashboardIdentityDbContext> options) : DashboardIdentityDbContext(options);
