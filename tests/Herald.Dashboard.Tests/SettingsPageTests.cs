using System.Net;
using System.Net.Http.Headers;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Dashboard.Tests;

/// <summary>The Settings page in a real Chromium: API keys created (shown once), used, listed and revoked.</summary>
[Collection(DashboardCollection.Name)]
public sealed class SettingsPageTests(DashboardHost host)
{
    [Fact]
    public async Task AKeyCreatedHere_IsShownOnce_Authenticates_AndStopsWhenRevoked()
    {
        var name = $"dashboard key {Guid.NewGuid():N}";
        var page = await host.SignedInPageAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Settings", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Settings", Level = 1 })).ToBeVisibleAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Scope").SelectOptionAsync("read");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();

        await Expect(page.Locator(".secret")).ToContainTextAsync("shown this once");
        var key = await page.GetByLabel("New API key").InputValueAsync();
        Assert.StartsWith("hk_", key, StringComparison.Ordinal);
        var row = page.Locator("table.keys-table tbody tr", new() { HasText = name });
        await Expect(row).ToContainTextAsync(key[..11]);
        await page.ScreenshotAsync(new() { Path = Path.Combine(host.ScreenshotDirectory, "settings.png"), FullPage = true });

        using var client = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using (var ok = await client.GetAsync("/api/v1/publications"))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        // Shown once: the next visit lists the key by its prefix only.
        await page.GotoAsync("/settings");
        await Expect(row).ToContainTextAsync("active");
        Assert.DoesNotContain(key, await page.ContentAsync(), StringComparison.Ordinal);

        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"API key '{name}'");
        await Expect(row).ToContainTextAsync("revoked");
        await Expect(row.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        using (var refused = await client.GetAsync("/api/v1/publications"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AKeyWithoutAName_IsRefusedNamingTheField_AndNothingIsCreated()
    {
        var count = System.Text.Json.Nodes.JsonNode.Parse(await host.Api.GetStringAsync("/api/v1/keys"))!.AsArray().Count;
        var page = await host.SignedInPageAsync();
        await page.GotoAsync("/settings");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("   ");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Name: must be 1 to 200 characters");
        await Expect(page.Locator(".secret")).ToHaveCountAsync(0);
        Assert.Equal(count, System.Text.Json.Nodes.JsonNode.Parse(await host.Api.GetStringAsync("/api/v1/keys"))!.AsArray().Count);
        await page.Context.CloseAsync();
    }
}
