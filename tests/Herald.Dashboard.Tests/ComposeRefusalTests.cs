using Herald.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Dashboard.Tests;

/// <summary>The Compose page refusing: each problem at its field, naming the field and the rule, and nothing stored.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ComposeRefusalTests(DashboardHost host)
{
    [Fact]
    public async Task AnArticleWithoutTitle_IsRefusedAtTheTitle_AndNothingIsStored()
    {
        var before = await ContentCountAsync();
        var page = await ComposePage.OpenAsync(host);
        await page.GetByLabel("Body").FillAsync("A body without a title.");
        await ComposePage.Account(page, "X").CheckAsync();
        // The live preview already says why.
        await Expect(page.Locator(".compose-preview")).ToContainTextAsync("Title: is required for an article");
        await page.GetByLabel("At a date and time").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Schedule" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Nothing was stored");
        await Expect(page.Locator("#title-problems")).ToContainTextAsync("Title: is required for an article");
        await Expect(page.GetByLabel("Title")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#at-problems")).ToContainTextAsync("Date and time: give the date and time");
        // What was typed is kept.
        await Expect(page.GetByLabel("Body")).ToHaveValueAsync("A body without a title.");
        await Expect(ComposePage.Account(page, "X")).ToBeCheckedAsync();
        Assert.Equal(before, await ContentCountAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ComposeWithoutTheAntiforgeryToken_IsRefused_AndNothingIsStored()
    {
        var before = await ContentCountAsync();
        var page = await host.SignedInPageAsync();
        var form = page.APIRequest.CreateFormData();
        form.Set("_handler", "compose");
        form.Set("title", "Cross-site article");
        form.Set("body", "Should never be stored.");
        form.Set("account", "all");
        var response = await page.APIRequest.PostAsync("/compose", new() { Form = form, MaxRedirects = 0 });
        Assert.Equal(400, response.Status);
        Assert.Equal(before, await ContentCountAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task TheCircuitHub_RefusesAConnectionWithoutTheDashboardSignIn()
    {
        using var client = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        using var anonymous = await client.PostAsync("/_blazor/negotiate?negotiateVersion=1", null);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymous.StatusCode);

        // The signed-in browser's cookie opens it (the page's editor connects through it in the other tests).
        var page = await host.SignedInPageAsync();
        var signedIn = await page.APIRequest.PostAsync("/_blazor/negotiate?negotiateVersion=1");
        Assert.Equal(200, signedIn.Status);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ComposePage_ShowsNoCredential()
    {
        var page = await ComposePage.OpenAsync(host);
        await page.GetByLabel("Title").FillAsync("Preview for every account");
        await page.GetByLabel("Body").FillAsync("Every account, the one with the sentinel credentials too.");
        foreach (var box in await page.Locator("fieldset.accounts input[type=checkbox]").AllAsync())
        {
            await box.CheckAsync();
        }

        await Expect(page.Locator(".target-preview")).ToHaveCountAsync(await page.Locator("fieldset.accounts input[type=checkbox]").CountAsync());
        var html = await page.ContentAsync();
        Assert.Contains("wrong key", html, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Sentinels, s => html.Contains(s, StringComparison.Ordinal));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task OnAPhone_ThePageFitsTheWidth_AndTheKeyboardMovesThroughItWithVisibleFocus()
    {
        var page = await ComposePage.OpenAsync(host);
        await page.SetViewportSizeAsync(390, 844);
        var wider = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)" +
            ".map(e => `${e.tagName}#${e.id}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)");
        Assert.True(wider.Length == 0, "wider than a phone: " + string.Join(", ", wider));

        await page.GetByLabel("Type").FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("Title")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("Typed with the keyboard");
        Assert.NotEqual("none", await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle"));
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("Description")).ToBeFocusedAsync();
        await Expect(page.GetByLabel("Title")).ToHaveValueAsync("Typed with the keyboard");
        await page.Context.CloseAsync();
    }

    private async Task<int> ContentCountAsync()
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HeraldDbContext>().Contents.CountAsync();
    }
}
