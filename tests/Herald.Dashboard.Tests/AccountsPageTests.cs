using System.Text.RegularExpressions;
using Herald.Sandbox.Hosting;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Dashboard.Tests;

/// <summary>The Accounts page in a real Chromium: add, list, test and remove accounts, and every refusal.</summary>
[Collection(DashboardCollection.Name)]
public sealed class AccountsPageTests(DashboardHost host)
{
    private static string SandboxDevToKey => SandboxPlatforms.Find("devto")!.Account.Credentials["api_key"];

    [Fact]
    public async Task ASandboxAccount_IsAdded_Listed_TestedAndRemoved()
    {
        var name = $"sandbox dev {Guid.NewGuid():N}";
        var page = await host.SignedInPageAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Accounts", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Accounts", Level = 1 })).ToBeVisibleAsync();
        await AddAsync(page, name, SandboxDevToKey, host.SandboxPlatformUrl("devto").ToString());
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"account '{name}' added");

        var row = Row(page, name);
        await Expect(row).ToContainTextAsync("api_key");
        await Expect(row).ToContainTextAsync("not tested");
        var stored = (await host.AccountsAsync()).Single(a => (string?)a!["displayName"] == name)!;
        Assert.Equal("devto", (string?)stored["platform"]);
        Assert.Equal(["api_key"], stored["credentialKeys"]!.AsArray().Select(k => (string?)k));
        Assert.DoesNotContain(SandboxDevToKey, await page.ContentAsync(), StringComparison.Ordinal);

        await row.GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();
        await Expect(page.Locator("[data-verdict]")).ToHaveAttributeAsync("data-verdict", "Works");
        await Expect(page.Locator("[data-verdict]")).ToContainTextAsync("Works: Dev.to accepted the credentials");
        await Expect(Row(page, name)).ToContainTextAsync("Works");
        await page.ScreenshotAsync(new() { Path = Path.Combine(host.ScreenshotDirectory, "accounts.png"), FullPage = true });

        await Row(page, name).GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"account '{name}' removed");
        await Expect(Row(page, name)).ToHaveCountAsync(0);
        Assert.DoesNotContain(await host.AccountsAsync(), a => (string?)a!["displayName"] == name);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AWrongKey_TestsAsRefused_AndTheOverviewAsksForAttention()
    {
        var page = await host.SignedInPageAsync();
        await page.GotoAsync("/accounts");
        await Row(page, "wrong key").GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();
        await Expect(page.Locator("[data-verdict]")).ToHaveAttributeAsync("data-verdict", "CredentialsRefused");
        await Expect(page.Locator("[data-verdict]")).ToContainTextAsync("Credentials refused");
        await Expect(Row(page, "wrong key")).ToContainTextAsync("Credentials refused");

        await page.GotoAsync("/");
        var attention = page.Locator("ul.account-attention li", new() { HasText = "'wrong key'" });
        await Expect(attention).ToContainTextAsync("refused");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ATokenStatedToExpireSoon_ShowsOnTheListAndUnderNeedsAttention()
    {
        var name = $"expiring {Guid.NewGuid():N}";
        var expiresAt = DateTimeOffset.UtcNow.AddDays(3).AddHours(2);
        var id = (string)(await host.PostAsync("/api/v1/accounts", new
        {
            platform = "devto",
            displayName = name,
            credentials = new Dictionary<string, string> { ["api_key"] = "a-key-that-expires" },
            tokenExpiresAt = expiresAt.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        }))["id"]!;
        try
        {
            var page = await host.SignedInPageAsync();
            await page.GotoAsync("/accounts");
            await Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Token expires" })).ToBeVisibleAsync();
            await Expect(Row(page, name).Locator("[data-token-expires]")).ToContainTextAsync("in 3 days");
            await Expect(Row(page, "wrong key").Locator("[data-token-expires]")).ToContainTextAsync("unknown");
            Assert.DoesNotContain("a-key-that-expires", await page.ContentAsync(), StringComparison.Ordinal);

            await page.GotoAsync("/");
            var attention = page.Locator("ul.account-attention li", new() { HasText = $"'{name}'" });
            await Expect(attention).ToContainTextAsync(
                "its access token expires in 3 days and Herald cannot renew it");
            await Expect(attention).ToContainTextAsync("tokenExpiresAt");
            await page.Context.CloseAsync();
        }
        finally
        {
            (await host.Api.DeleteAsync($"/api/v1/accounts/{id}?cancelPending=true")).Dispose();
        }
    }

    [Fact]
    public async Task ATestThroughTheRestApi_IsTheOneThePageShows()
    {
        // One tester for both: the verdict of POST /api/v1/accounts/{id}/test is the page's last test.
        var mastodon = (await host.AccountsAsync()).Single(a => (string?)a!["platform"] == "mastodon" && (bool)a["sandbox"]!)!;
        var id = (string)mastodon["id"]!;
        var verdict = await host.PostAsync($"/api/v1/accounts/{id}/test", new { });
        Assert.Equal("Works", (string?)verdict["verdict"]);

        var page = await host.SignedInPageAsync();
        await page.GotoAsync("/accounts");
        await Expect(page.Locator($"tr[data-account='{id}']")).ToContainTextAsync("Works");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task BadInput_IsRefusedNamingTheFieldAndRule_StoresNothing_AndNeverEchoesACredential()
    {
        var secret = $"SENTINEL-FORM-{Guid.NewGuid():N}";
        var page = await host.SignedInPageAsync();
        var before = (await host.AccountsAsync()).Count;
        var cases = new (string Name, string? BaseUrl, string? Settings, string Expected)[]
        {
            ("wrong key", null, null, "Display name: must be unique on the platform"),
            ("", null, null, "Display name: must be 1 to 200 characters"),
            ($"bad url {Guid.NewGuid():N}", "http://example.com/", null, "Base URL: must be an absolute https URL"),
            ($"bad setting {Guid.NewGuid():N}", null, "no equals sign", "Settings: line 1 must be key=value"),
        };
        foreach (var (name, baseUrl, settings, expected) in cases)
        {
            await page.GotoAsync("/accounts");
            await AddAsync(page, name, secret, baseUrl, settings);
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync(expected);
            await Expect(page.GetByLabel("Credential api_key")).ToHaveValueAsync("");
            Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
            Assert.Equal(before, (await host.AccountsAsync()).Count);
            if (name.Length == 0)
            {
                await page.ScreenshotAsync(new() { Path = Path.Combine(host.ScreenshotDirectory, "accounts-refused.png"), FullPage = true });
            }
        }

        await page.Context.CloseAsync();
        Assert.DoesNotContain(host.LogLines, l => l.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Remove_WhilePublicationsWait_IsRefused_UntilConfirmedWithTheirCancellation()
    {
        var name = $"waiting {Guid.NewGuid():N}";
        var account = await host.PostAsync("/api/v1/accounts", new
        {
            platform = "linkedin",
            displayName = name,
            credentials = new Dictionary<string, string>(),
            settings = new Dictionary<string, string> { ["mode"] = "manual" },
        });
        var waiting = await host.PostOneAsync($"Waits on {name}", (string)account["id"]!, at: "2031-06-01 09:00");

        var page = await host.SignedInPageAsync();
        await page.GotoAsync("/accounts");
        await Row(page, name).GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("1 publication(s) wait on this account");
        Assert.Contains(await host.AccountsAsync(), a => (string?)a!["displayName"] == name);
        Assert.Equal("Scheduled", (string?)(await host.GetPublicationAsync(waiting))["publication"]!["status"]);

        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("and cancel its waiting publications") }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("1 waiting publication(s) cancelled");
        Assert.DoesNotContain(await host.AccountsAsync(), a => (string?)a!["displayName"] == name);
        Assert.Equal("Cancelled", (string?)(await host.GetPublicationAsync(waiting))["publication"]!["status"]);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task FormsPostedWithoutTheAntiforgeryToken_AreRefused_AndStoreNothing()
    {
        var page = await host.SignedInPageAsync();
        var before = (await host.AccountsAsync()).Count;
        var form = page.APIRequest.CreateFormData();
        form.Set("_handler", "add-account");
        form.Set("Add.Platform", "devto");
        form.Set("Add.DisplayName", $"forged {Guid.NewGuid():N}");
        var response = await page.APIRequest.PostAsync("/accounts?platform=devto", new() { Form = form, MaxRedirects = 0 });
        Assert.Equal(400, response.Status);
        Assert.Equal(before, (await host.AccountsAsync()).Count);

        var keys = page.APIRequest.CreateFormData();
        keys.Set("_handler", "create-key");
        keys.Set("Create.Name", "forged");
        keys.Set("Create.Scope", "admin");
        var created = await page.APIRequest.PostAsync("/settings", new() { Form = keys, MaxRedirects = 0 });
        Assert.Equal(400, created.Status);
        Assert.DoesNotContain("hk_", await created.TextAsync(), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    private static ILocator Row(IPage page, string name) =>
        page.Locator("table.accounts tbody tr").Filter(new() { Has = page.Locator("strong", new() { HasTextRegex = new Regex($"^{Regex.Escape(name)}$") }) });

    private static async Task AddAsync(IPage page, string name, string credential, string? baseUrl = null, string? settings = null)
    {
        await page.GetByLabel("Platform").SelectOptionAsync("devto");
        await page.GetByRole(AriaRole.Button, new() { Name = "Choose platform" }).ClickAsync();
        await page.GetByLabel("Display name").FillAsync(name);
        await page.GetByLabel("Credential api_key").FillAsync(credential);
        if (baseUrl is not null)
        {
            await page.GetByLabel("Base URL").FillAsync(baseUrl);
        }

        if (settings is not null)
        {
            await page.GetByLabel("Settings (optional").FillAsync(settings);
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Add account" }).ClickAsync();
    }
}
