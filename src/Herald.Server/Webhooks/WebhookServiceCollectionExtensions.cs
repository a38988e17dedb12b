namespace Herald.Server.Webhooks;

/// <summary>Composes webhooks into the server.</summary>
internal static class WebhookServiceCollectionExtensions
{
    /// <summary>
    /// The webhook API's services, and — when this process runs the workers (<paramref name="runsWorkers"/>) — the
    /// fan-out loop, the Hangfire server for deliveries, and the HTTP client that posts them.
    /// </summary>
    public static IServiceCollection AddHeraldWebhooks(this IServiceCollection services, bool runsWorkers)
    {
        // Their options are among the server's (AddHeraldServerOptions).
        services.AddSingleton<WebhookSecrets>();
        if (!runsWorkers)
        {
            return services;
        }

        services.AddSingleton<WebhookMetrics>();
        services.AddSingleton<WebhookQueue>();
        services.AddScoped<WebhookFanOut>();
        services.AddTransient<WebhookDelivery>();
        // No redirects (a receiver answers for itself), and no request logging: a receiver's URL may carry its own token.
        services.AddHttpClient(WebhookDelivery.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .RemoveAllLoggers();
        services.AddHostedService<WebhookWorker>();
        return services;
    }
}
