using Herald.Server.Dashboard.Components;
using Herald.Server.Dashboard.Identity;
using Herald.Server.Dashboard.Queries;
using Herald.Server.Dashboard.Setup;
using Herald.Server.Events;
using Herald.Storage;
using Herald.Storage.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Herald.Server.Dashboard;

/// <summary>
/// The dashboard in the server's host: Blazor pages rendered on the server (static rendering, enhanced navigation,
/// streaming; the Compose page's editor interactive over a circuit), signed in with ASP.NET Core Identity's cookie. <c>AddHeraldDashboard</c> with the server's services,
/// <c>MapHeraldDashboard</c> after the API's routes.
/// </summary>
public static class DashboardExtensions
{
    /// <summary>Sign-in (Identity on Herald's database, cookie, lockout), the pages, and the setup link.</summary>
    public static WebApplicationBuilder AddHeraldDashboard(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddHeraldDashboardData(HeraldDatabase.ResolveConnectionString(builder.Configuration));
        services.AddHeraldDataProtection();
        services.AddAuthentication().AddIdentityCookies();
        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.Name = DashboardAuth.CookieName;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.LoginPath = DashboardAuth.LoginPath;
            cookie.AccessDeniedPath = DashboardAuth.LoginPath;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(12);
            cookie.SlidingExpiration = true;
        });
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "herald.antiforgery";
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
        });
        new IdentityBuilder(typeof(DashboardUser), typeof(IdentityRole), services).AddSignInManager();
        services.AddAuthorizationBuilder().AddPolicy(DashboardAuth.Policy, policy => policy
            .AddAuthenticationSchemes(DashboardAuth.Scheme)
            .RequireAuthenticatedUser());

        // Static rendering everywhere; only the Compose page's editor runs interactively on the server (its live preview).
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddScoped<OverviewQuery>();
        services.AddScoped<PublicationsPageQuery>();
        services.AddScoped<CalendarQuery>();
        services.AddScoped<Actions.PublicationActions>();
        services.AddScoped<Compose.ComposeService>();
        services.AddScoped<AccountsPageQuery>();
        services.AddScoped<AccountAttentionQuery>();
        services.AddScoped<Actions.AccountActions>();
        services.AddScoped<Actions.KeyActions>();
        services.TryAddSingleton<DashboardSetup>();
        services.TryAddSingleton(new DashboardConsole(Console.Out));
        services.AddHostedService<DashboardStartup>();
        return builder;
    }

    /// <summary>
    /// The dashboard's users and roles (Identity stores) in the database <c>AddHeraldStorage</c> uses (call that
    /// first): what <c>herald users add</c> needs without the rest of the server.
    /// </summary>
    public static IServiceCollection AddHeraldDashboardData(this IServiceCollection services, string connectionString)
    {
        var normalized = HeraldDatabase.Normalize(connectionString);
        if (HeraldDatabase.DetectProvider(normalized) == DatabaseProvider.Sqlite)
        {
            services.AddDbContext<SqliteDashboardIdentityDbContext>(o => o.UseSqlite(
                normalized, sqlite => sqlite.MigrationsHistoryTable(DashboardIdentityDbContext.MigrationsHistoryTable)));
            services.AddScoped<DashboardIdentityDbContext>(sp => sp.GetRequiredService<SqliteDashboardIdentityDbContext>());
        }
        else
        {
            services.AddDbContext<PostgresDashboardIdentityDbContext>((sp, o) => o.UseNpgsql(
                sp.GetRequiredService<NpgsqlDataSource>(), pg => pg.MigrationsHistoryTable(DashboardIdentityDbContext.MigrationsHistoryTable)));
            services.AddScoped<DashboardIdentityDbContext>(sp => sp.GetRequiredService<PostgresDashboardIdentityDbContext>());
        }

        services.AddIdentityCore<DashboardUser>(identity =>
            {
                identity.Password.RequiredLength = 10;
                identity.Password.RequireNonAlphanumeric = false;
                identity.Lockout.MaxFailedAccessAttempts = 5;
                identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                identity.Lockout.AllowedForNewUsers = true;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<DashboardIdentityDbContext>();
        services.AddScoped<DashboardUsers>();
        return services;
    }

    /// <summary>
    /// The data protection keys (which sign cookies and antiforgery tokens) in the dashboard's tables, encrypted with
    /// Herald's credential key: shared by every server node on the database, kept over restarts. Needs
    /// <see cref="AddHeraldDashboardData"/>.
    /// </summary>
    public static IServiceCollection AddHeraldDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection()
            .SetApplicationName("Herald")
            .PersistKeysToDbContext<DashboardIdentityDbContext>();
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(
            keys => keys.XmlEncryptor = new DataProtectionKeyEncryptor(sp.GetRequiredService<CredentialProtector>())));
        return services;
    }

    /// <summary>Applies the dashboard's migrations (what <c>herald users add</c> does before it adds a user).</summary>
    public static async Task MigrateHeraldDashboardDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DashboardIdentityDbContext>().Database.MigrateHeraldAsync(cancellationToken);
    }

    /// <summary>The pages, sign-out, and the dashboard's stylesheet and script (served from the assembly).</summary>
    public static WebApplication MapHeraldDashboard(this WebApplication app)
    {
        app.UseAntiforgery();
        app.UseDashboardCircuitGuard();
        app.MapGet("/dashboard/assets/{name}", DashboardAssets.Serve).ExcludeFromDescription();
        app.MapDashboardEvents(DashboardAuth.Policy);
        app.MapPost("/logout", async (SignInManager<DashboardUser> signIn) =>
            {
                await signIn.SignOutAsync();
                return Results.LocalRedirect(DashboardAuth.LoginPath);
            })
            .RequireAuthorization(DashboardAuth.Policy)
            .WithMetadata(new RequireAntiforgeryTokenAttribute())
            .ExcludeFromDescription();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
