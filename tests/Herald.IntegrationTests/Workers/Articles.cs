using Herald.Accounts;
using Herald.Contents;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;

namespace Herald.IntegrationTests.Workers;

internal static class Articles
{
    /// <summary>An article with a canonical URL of its own, so Dev.to reconciliation can find it.</summary>
    public static Content New(string title) => new()
    {
        Title = title,
        Body = $"{title} is about publishing once.\n\nSecond paragraph.",
        Tags = ["dotnet", "herald"],
        CanonicalUrl = new Uri($"https://blog.example.com/{Guid.NewGuid():N}"),
    };

    public static Account DevTo(SandboxServer sandbox, string? apiKey = null, string name = "sandbox") => new()
    {
        Platform = "devto",
        DisplayName = name,
        BaseUrl = sandbox.PlatformBaseUrl("devto"),
        Credentials = new AccountCredentials { ["api_key"] = apiKey ?? SandboxAccounts.DevToKey },
    };
}
