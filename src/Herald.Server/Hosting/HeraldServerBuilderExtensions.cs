using System.Threading.RateLimiting;
using Hangfire;
using Herald.DependencyInjection;
using Herald.Server.Accounts;
using Herald.Server.Contents;
using Herald.Server.Dashboard;
using Herald.Server.Data;
using Herald.Server.Events;
using Herald.Server.Health;
using Herald.Server.Idempotency;
using Herald.Server.Keys;
using Herald.Server.Media;
using Herald.Server.Metrics;
using Herald.Server.Posts;
using Herald.Server.Problems;
using Herald.Server.Publications;
using Herald.Server.Webhooks;
using Herald.Storage;
using Herald.Workers;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry.Metrics;
using Scalar.AspNetCore;

namespace Herald.Server.Hosting;

/// <summary>How a host becomes a Herald server: <c>builder.AddHeraldServer()</c>, then <c>app.MapHeraldServer()</c>.</summary>
public static class HeraldServerBuilderExtensions
{
    private const string PerKeyLimit = "per-key";

    /// <summary>The .NET runtime's own meter: GC, thread pool, JIT, exceptions and memory, as <c>dotnet_*</c> series.</summary>
    private const string RuntimeMeter = "System.Runtime";

    /// <summary>
    /// Herald (engine, every platform, storage from <c>Herald:Database</c>), the server's tables, API-key
    /// authentication with scopes, per-key rate limiting, problem details, OpenAPI, health checks, and — unless the
    /// role is <c>api</c> — the workers. Listens on <see cref="HeraldServerOptions.DefaultUrl"/> unless <c>urls</c> is set.
    /// </summary>
    public static WebApplicationBuilder AddHeraldServer(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        // The role decides what is composed, so it is read now; the same values are bound and checked at start.
        var options = configuration.GetSection(HeraldServerOptions.Section).Get<HeraldServerOptions>() ?? new HeraldServerOptions();

        if (string.IsNullOrEmpty(configuration["urls"]))
        {
            builder.WebHost.UseUrls(HeraldServerOptions.DefaultUrl);
        }

        // EF Core's SQL at Information would drown the server's own lines; warnings and errors still show.
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        var services = builder.Services;
        services.AddHeraldServerOptions();
        // Before the workers' hosted service: migrations, the sandbox and the configured accounts come first.
        services.AddHostedService<ServerStartup>();
        services.AddSingleton<ServerSandbox>();
        services.AddSingleton<IAccountEndpointResolver>(sp => sp.GetRequiredService<ServerSandbox>());
        services.AddSingleton(sp => new PostLinks(sp.GetRequiredService<ServerSandbox>()));
        services.AddSingleton<AccountTestResults>();
        services.AddScoped<AccountConnectionTester>();

        services.AddHerald().AddEveryPlatform();
        var database = HeraldDatabase.ResolveConnectionString(configuration);
        services.AddHeraldStorage(database, configuration["Herald:CredentialKey"]);
        services.AddHeraldServerData(database);
        services.AddScoped<PostService>();
        if (options.RunsWorkers)
        {
            services.AddHeraldJobs(configuration);
            // What the dashboard looks for. Not AddHangfire: it points Hangfire's process-wide log provider at this
            // host's logger factory, which outlives the host (a second host in the process, as in tests, then logs
            // into a disposed factory); the job storage stays the one AddHeraldJobs chose.
            services.TryAddSingleton<IGlobalConfiguration>(_ => GlobalConfiguration.Configuration);
            services.TryAddSingleton(_ => Hangfire.Dashboard.DashboardRoutes.Routes);
        }

        services.AddHeraldWebhooks(options.RunsWorkers);
        services.AddProblemDetails();
        services.AddExceptionHandler<ServerExceptionHandler>();
        services.ConfigureHttpJsonOptions(json => ServerJson.Configure(json.SerializerOptions));
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiScopes.Read, p => p.RequireClaim(ApiScopes.ClaimType, ApiScopes.Read))
            .AddPolicy(ApiScopes.Write, p => p.RequireClaim(ApiScopes.ClaimType, ApiScopes.Write))
            .AddPolicy(ApiScopes.Admin, p => p.RequireClaim(ApiScopes.ClaimType, ApiScopes.Admin));
        services.AddRateLimiter(limiter =>
        {
            // Per key; a request without a valid key is not counted here (authorization answers it with 401).
            limiter.AddPolicy(PerKeyLimit, context => context.User.FindFirst(ApiScopes.KeyIdClaimType)?.Value is { } key
                ? RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.RateLimitPermits,
                    Window = options.RateLimitWindow,
                    QueueLimit = 0,
                })
                : RateLimitPartition.GetNoLimiter("anonymous"));
            limiter.OnRejected = (rejected, _) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : options.RateLimitWindow;
                rejected.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return new ValueTask(ProblemResults.Write(rejected.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests",
                    $"This API key may make {options.RateLimitPermits} requests per {options.RateLimitWindow}; try again after the Retry-After seconds."));
            };
        });
        services.AddOpenApi(ServerOpenApi.Configure);
        services.AddHostedService<HeraldMetrics>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(HeraldMetrics.MeterName, WebhookMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", RuntimeMeter)
            .AddPrometheusExporter());
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<JobStorageHealthCheck>("jobs", tags: ["ready"]);
        if (options.ServesApi)
        {
            builder.AddHeraldDashboard();
        }

        return builder;
    }

    /// <summary>
    /// Binds <see cref="HeraldServerOptions"/> from <c>Herald:Server</c> (and <see cref="WebhookOptions"/> from
    /// <c>Herald:Server:Webhooks</c>) like every Herald setting, checked when the host
    /// starts with every bad value named.
    /// </summary>
    public static IServiceCollection AddHeraldServerOptions(this IServiceCollection services)
    {
        services.AddHeraldOptions<HeraldServerOptions>(HeraldServerOptions.Section);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HeraldServerOptions>, HeraldServerOptionsValidator>());
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<HeraldServerOptions>>().Value);
        services.TryAddSingleton(sp => new ApiKeyCache(sp.GetRequiredService<HeraldServerOptions>().ApiKeyCacheDuration, sp.GetRequiredService<TimeProvider>()));
        services.AddHeraldOptions<WebhookOptions>(WebhookOptions.Section);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>());
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<WebhookOptions>>().Value);
        return services;
    }

    /// <summary>
    /// The server's own tables (API keys) in the database <c>AddHeraldStorage</c> uses (call that first): what
    /// <c>herald keys</c> needs without the rest of the server.
    /// </summary>
    public static IServiceCollection AddHeraldServerData(this IServiceCollection services, string connectionString)
    {
        var normalized = HeraldDatabase.Normalize(connectionString);
        if (HeraldDatabase.DetectProvider(normalized) == DatabaseProvider.Sqlite)
        {
            services.AddDbContextPool<SqliteServerDbContext>(o => o.UseSqlite(normalized, sqlite => sqlite.MigrationsHistoryTable(ServerDbContext.MigrationsHistoryTable)));
            services.AddScoped<ServerDbContext>(sp => sp.GetRequiredService<SqliteServerDbContext>());
        }
        else
        {
            services.AddDbContextPool<PostgresServerDbContext>((sp, o) => o.UseNpgsql(
                sp.GetRequiredService<NpgsqlDataSource>(), pg => pg.MigrationsHistoryTable(ServerDbContext.MigrationsHistoryTable)));
            services.AddScoped<ServerDbContext>(sp => sp.GetRequiredService<PostgresServerDbContext>());
        }

        services.AddScoped(sp => new ApiKeys(sp.GetRequiredService<ServerDbContext>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<ApiKeyCache>()));
        return services;
    }

    /// <summary>Applies the library's and the server's migrations (what <c>herald keys</c> does before it touches keys).</summary>
    public static async Task MigrateHeraldServerDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await services.MigrateHeraldDatabaseAsync(cancellationToken);
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ServerDbContext>().Database.MigrateHeraldAsync(cancellationToken);
    }

    /// <summary>Addresses a browser may ask the dashboard for: everything but the API and the machine endpoints.</summary>
    private static bool IsDashboardPath(PathString path) =>
        !path.StartsWithSegments("/api") && !path.StartsWithSegments("/health") && !path.StartsWithSegments("/metrics") &&
        !path.StartsWithSegments("/openapi") && !path.StartsWithSegments("/jobs") && !path.StartsWithSegments("/dashboard/assets") &&
        !path.StartsWithSegments(PublicMediaEndpoint.Path);

    /// <summary>
    /// The pipeline and the routes: <c>/health/live</c> and <c>/health/ready</c> (no key), <c>/openapi/v1.json</c> and
    /// <c>/api/docs</c>, the REST API under <c>/api/v1</c>, and the Hangfire dashboard at <c>/jobs</c> (admin) when
    /// this process runs the workers.
    /// </summary>
    public static WebApplication MapHeraldServer(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<HeraldServerOptions>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (options.ServesApi)
        {
            // A browser that asks the dashboard for an address that is not there gets the dashboard's own page; the
            // API and the other machine endpoints keep their problem details. Only reads are shown it: a form post
            // that failed (a stale antiforgery token) must not be re-run against the page.
            app.UseWhen(context => IsDashboardPath(context.Request.Path) && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)),
                branch => branch.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        }

        // Routing after the status code pages, so that the re-executed request finds the not-found page.
        app.UseRouting();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseMiddleware<IdempotencyMiddleware>();

        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") });
        if (!options.ServesApi)
        {
            return app;
        }

        app.MapOpenApi();
        app.MapScalarApiReference("/api/docs", scalar => scalar.WithTitle("Herald API").WithOpenApiRoutePattern("/openapi/v1.json"));

        var api = app.MapGroup("/api/v1").RequireRateLimiting(PerKeyLimit);
        api.AddEndpointFilter(async (context, next) =>
        {
            // Publications in any answer link sandbox posts to the sandbox: keep the list of sandbox accounts current.
            var services = context.HttpContext.RequestServices;
            await services.GetRequiredService<PostLinks>().RefreshAsync(services.GetRequiredService<HeraldDbContext>(), context.HttpContext.RequestAborted);
            return await next(context);
        });
        api.MapPostsApi();
        api.MapPublicationsApi();
        api.MapContentsApi();
        api.MapAccountsApi();
        api.MapKeysApi();
        api.MapEventsApi();
        api.MapWebhooksApi();
        app.MapPublicMedia();
        app.MapPrometheusScrapingEndpoint("/metrics").RequireScope(ApiScopes.Read);
        app.MapHeraldDashboard();

        if (options.RunsWorkers)
        {
            app.MapHangfireDashboard("/jobs", new DashboardOptions { Authorization = [], AppPath = "/api/docs" }, app.Services.GetRequiredService<JobStorage>())
                .RequireAuthorization(ApiScopes.Admin);
        }

        return app;
    }

    /// <summary>Marks a route as needing <paramref name="scope"/>: 401 without a key, 403 with a key that lacks it.</summary>
    internal static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.RequireAuthorization(scope);
        builder.WithMetadata(new RequiredScope(scope));
        return builder;
    }
}
