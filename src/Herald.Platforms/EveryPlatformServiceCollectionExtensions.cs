using Herald.DependencyInjection;
using Herald.Platforms.Checks;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

public static class EveryPlatformServiceCollectionExtensions
{
    /// <summary>
    /// Every platform Herald ships (Dev.to, LinkedIn, X, Medium, Mastodon, Bluesky, Threads) and the
    /// <see cref="AccountChecker"/> that asks each whose an account's credentials are: what the server and the
    /// <c>herald</c> command both compose, so that a new platform joins both in one place.
    /// </summary>
    public static HeraldBuilder AddEveryPlatform(this HeraldBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder
            .AddDevTo()
            .AddLinkedIn()
            .AddX()
            .AddMedium()
            .AddMastodon()
            .AddBluesky()
            .AddThreads();
        builder.Services.TryAddSingleton<AccountChecker>();
        return builder;
    }
}
