using Herald.Accounts;
using Herald.Contents;
using Herald.Engine;
using Herald.Platforms;
using Herald.Publications;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;
using Herald.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace Herald.IntegrationTests.Engine;

/// <summary>The steps the image tests share: a test image, the sandbox's Mastodon and X accounts, a schedule and an attempt, each in a fresh scope.</summary>
internal static class ImageFlow
{
    /// <summary>A PNG of one colour.</summary>
    public static byte[] Png(int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(new SKColor(200, 120, 40));
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    public static Account Mastodon(SandboxServer sandbox) => new()
    {
        Platform = "mastodon",
        DisplayName = "sandbox",
        Credentials = new AccountCredentials { ["access_token"] = SandboxAccounts.MastodonToken },
        BaseUrl = sandbox.PlatformBaseUrl("mastodon"),
    };

    public static Account X(SandboxServer sandbox) => new()
    {
        Platform = "x",
        DisplayName = "x",
        Credentials = new AccountCredentials { ["access_token"] = SandboxAccounts.XAccessToken },
        Settings = new Dictionary<string, string> { ["username"] = SandboxAccounts.XUsername },
        BaseUrl = sandbox.PlatformBaseUrl("x"),
    };

    public static async Task<Publication> ScheduleAsync(IServiceProvider services, Content content, Account account, TimeProvider clock)
    {
        await using var scope = services.CreateAsyncScope();
        var scheduler = scope.ServiceProvider.GetRequiredService<IPublicationScheduler>();
        return Assert.Single(await scheduler.ScheduleAsync(content, [account], ScheduleTime.Now(clock)));
    }

    /// <summary>One attempt in a fresh scope, from what the database holds.</summary>
    public static async Task<PublishOutcome> RunAsync(IServiceProvider services, PublicationId id)
    {
        await using var scope = services.CreateAsyncScope();
        var details = (await scope.ServiceProvider.GetRequiredService<IPublicationScheduler>().GetAsync(id))!;
        return await scope.ServiceProvider.GetRequiredService<PublicationRunner>().RunAsync(details.Publication, details.Content!, details.Account!, "test-worker");
    }
}
