using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Dashboard.Tests;

/// <summary>The Compose page as the tests use it: opened signed in, and ready once its editor runs interactively.</summary>
internal static class ComposePage
{
    /// <summary>A signed-in page on /compose whose editor is connected (typing before that would be lost to the prerendered copy).</summary>
    public static async Task<IPage> OpenAsync(DashboardHost host, string? timeZone = null)
    {
        var page = await host.SignedInPageAsync(timeZone);
        await page.GetByRole(AriaRole.Link, new() { Name = "Compose", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Compose", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-interactive=true]")).ToBeVisibleAsync();
        return page;
    }

    /// <summary>The checkbox of the account named <paramref name="name"/> in the platform's group.</summary>
    public static ILocator Account(IPage page, string platformName, string name = "sandbox") =>
        page.GetByRole(AriaRole.Group, new() { Name = platformName, Exact = true }).GetByLabel(name, new() { Exact = true });
}
