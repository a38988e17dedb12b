using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Dashboard.Tests;

/// <summary>The dashboard in a real Chromium: first admin, sign-in, overview, publications, a publication and its actions.</summary>
[Collection(DashboardCollection.Name)]
public sealed partial class DashboardFlowTests(DashboardHost host)
{
    [Fact]
    public async Task SetupLink_CreatedTheFirstAdmin_AndWorksOnlyOnce()
    {
        var page = await host.NewPageAsync();
        await page.GotoAsync(host.SetupLink);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("This setup link is not valid");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Create admin and sign in" })).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SignIn_ThenOverview_ShowsCountsAttentionAndChart()
    {
        var page = await host.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/login\\?ReturnUrl=%2F$"));
        await page.GetByLabel("User name").FillAsync(DashboardHost.AdminName);
        await page.GetByLabel("Password").FillAsync(host.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-status=Failed] .number")).Not.ToHaveTextAsync("0");
        await Expect(page.Locator("[data-status=AwaitingManualAction] .number")).Not.ToHaveTextAsync("0");
        await Expect(page.Locator("[data-status=Scheduled] .number")).Not.ToHaveTextAsync("0");
        await Expect(page.Locator("[data-status=Published] .number")).Not.ToHaveTextAsync("0");
        var attention = page.Locator("section[aria-labelledby=attention-heading]");
        await Expect(attention.GetByRole(AriaRole.Link, new() { Name = host.FailingTitle, Exact = true })).ToBeVisibleAsync();
        await Expect(attention.GetByRole(AriaRole.Link, new() { Name = host.WaitingDraftTitle, Exact = true })).ToBeVisibleAsync();
        // The sentinel account's key was refused (HTTP 401) on its newest attempt: the account needs attention too.
        await Expect(attention.Locator("ul.account-attention li", new() { HasText = "'wrong key'" })).ToContainTextAsync("refused");
        await Expect(page.Locator("section[aria-labelledby=due-heading]").GetByRole(AriaRole.Link, new() { Name = host.LaterTitle, Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator(".chart svg rect.bar").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(host.ScreenshotDirectory, "overview.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Publications_Filters_ByStatusAndTitle()
    {
        var page = await host.SignedInPageAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Publications", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Publications", Level = 1 })).ToBeVisibleAsync();
        var table = page.Locator("table");
        foreach (var title in new[] { host.PublishedTitle, host.FailingTitle, host.DraftTitle, host.LaterTitle })
        {
            await Expect(table.GetByRole(AriaRole.Link, new() { Name = title, Exact = true })).ToBeVisibleAsync();
        }

        await page.GetByLabel("Status").SelectOptionAsync("Failed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("status=Failed"));
        await Expect(table.GetByRole(AriaRole.Link, new() { Name = host.FailingTitle, Exact = true })).ToBeVisibleAsync();
        await Expect(table.GetByRole(AriaRole.Link, new() { Name = host.PublishedTitle, Exact = true })).ToHaveCountAsync(0);

        await page.GotoAsync("/publications");
        await page.GetByLabel("Title contains").FillAsync(host.LaterTitle.ToUpperInvariant());
        await page.GetByLabel("Platform").SelectOptionAsync("mastodon");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(page.Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(table.GetByRole(AriaRole.Link, new() { Name = host.LaterTitle, Exact = true })).ToBeVisibleAsync();

        // A filter the shared query refuses is named, as the API names it.
        await page.GotoAsync("/publications?status=Lost");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("status: unknown status 'Lost'");
        await page.GotoAsync("/publications");
        await page.ScreenshotAsync(new() { Path = Path.Combine(host.ScreenshotDirectory, "publications.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Publication_ShowsAttemptsWithHttpStatusAndThePayload()
    {
        var page = await host.SignedInPageAsync();
        await page.GotoAsync("/publications?status=Failed");
        await page.GetByRole(AriaRole.Link, new() { Name = host.FailingTitle, Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = host.FailingTitle, Level = 1 })).ToBeVisibleAsync();

        var api = await host.GetPublicationAsync(host.FailingId);
        var attempt = api["attempts"]!.AsArray()[0]!;
        var attempts = page.Locator("table.attempts tbody tr");
        await Expect(attempts).ToHaveCountAsync(api["attempts"]!.AsArray().Count);
        await Expect(attempts.First).ToContainTextAsync((string)attempt["outcome"]!);
        await Expect(attempts.First).ToContainTextAsync(((int)attempt["httpStatus"]!).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator("pre.payload")).ToContainTextAsync(host.FailingTitle);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Retry now" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel publication" })).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = Path.Combine(host.ScreenshotDirectory, "publication.png"), FullPage = true });

        // Retry goes through the scheduler like the API's retry: a second attempt is made (and fails the same way).
        await page.GetByRole(AriaRole.Button, new() { Name = "Retry now" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Done: retried");
        await WaitForAttemptsAsync(host.FailingId, 2);
        await page.ReloadAsync();
        await Expect(attempts).ToHaveCountAsync(2);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Cancel_FromThePublicationPage_CancelsIt()
    {
        var page = await host.SignedInPageAsync();
        await page.GotoAsync($"/publications/{host.LaterId}");
        await Expect(page.Locator(".lead .badge")).ToHaveTextAsync("Scheduled");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel publication" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Done: cancelled");
        await Expect(page.Locator(".lead .badge")).ToHaveTextAsync("Cancelled");
        Assert.Equal("Cancelled", (string?)(await host.GetPublicationAsync(host.LaterId))["publication"]!["status"]);

        // The same rule as the API: a cancelled publication offers no cancel; rescheduling brings it back.
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel publication" })).ToHaveCountAsync(0);
        await page.GetByLabel("New time").FillAsync("2031-02-03 10:00");
        await page.GetByLabel("Time zone").FillAsync("Europe/Berlin");
        await page.GetByRole(AriaRole.Button, new() { Name = "Reschedule" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Done: rescheduled");
        var rescheduled = (await host.GetPublicationAsync(host.LaterId))["publication"]!;
        Assert.Equal("Scheduled", (string?)rescheduled["status"]);
        Assert.Equal(new DateTimeOffset(2031, 2, 3, 9, 0, 0, TimeSpan.Zero), (DateTimeOffset)rescheduled["scheduledAt"]!);

        // A bad time is refused with its field named, and nothing changes.
        await page.GetByLabel("New time").FillAsync("someday");
        await page.GetByRole(AriaRole.Button, new() { Name = "Reschedule" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("at");
        Assert.Equal((DateTimeOffset)rescheduled["scheduledAt"]!, (DateTimeOffset)(await host.GetPublicationAsync(host.LaterId))["publication"]!["scheduledAt"]!);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task LinkedInDraft_IsCopied_ThenMarkedPostedWithItsUrl()
    {
        var page = await host.SignedInPageAsync();
        await page.GotoAsync($"/publications/{host.DraftId}");
        var draft = page.GetByLabel("Draft", new() { Exact = true });
        await Expect(draft).ToContainTextAsync(host.DraftTitle);
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy draft" }).ClickAsync();
        await Expect(page.Locator(".copy-status")).ToHaveTextAsync("Copied.");
        var copied = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
        Assert.Equal(await draft.InputValueAsync(), copied);

        await page.GetByLabel("URL of the post").FillAsync("ftp://example.com/post");
        await page.GetByRole(AriaRole.Button, new() { Name = "Mark posted" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("URL of the post: must be an absolute http(s) URL");

        await page.GetByLabel("URL of the post").FillAsync("https://www.linkedin.com/feed/update/urn:li:share:1234");
        await page.GetByRole(AriaRole.Button, new() { Name = "Mark posted" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Done: marked posted");
        await Expect(page.Locator(".lead .badge")).ToHaveTextAsync("Published");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "View the live post" }))
            .ToHaveAttributeAsync("href", "https://www.linkedin.com/feed/update/urn:li:share:1234");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Calendar_ShowsEachPublicationOnItsDay_AndLinksToIt()
    {
        var page = await host.SignedInPageAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Calendar", Exact = true }).ClickAsync();
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await Expect(page.Locator($"td[data-day='{today}']").GetByRole(AriaRole.Link, new() { Name = host.PublishedTitle, Exact = true })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(host.ScreenshotDirectory, "calendar.png"), FullPage = true });

        var due = (DateTimeOffset)(await host.GetPublicationAsync(host.LaterId))["publication"]!["scheduledAt"]!;
        await page.GotoAsync($"/calendar?month={due.UtcDateTime:yyyy-MM}");
        await page.Locator($"td[data-day='{due.UtcDateTime:yyyy-MM-dd}']").GetByRole(AriaRole.Link, new() { Name = host.LaterTitle, Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = host.LaterTitle, Level = 1 })).ToBeVisibleAsync();

        await page.GotoAsync("/calendar?month=someday");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("month: must be a month such as");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Calendar_InTheBrowsersZone_ShowsEachPublicationOnItsLocalDay_AndReschedulesFromThere()
    {
        // Due 1 January 09:00 UTC of a year ahead: in Honolulu (UTC−10, no daylight saving) that is 23:00 on 31 December.
        const string zone = "Pacific/Honolulu";
        var year = DateTime.UtcNow.Year + 3;
        var eve = new DateOnly(year - 1, 12, 31);
        var title = $"Calendar zone {Guid.NewGuid():N}";
        var id = await host.PostOneAsync(title, "mastodon", at: $"{year}-01-01 09:00");
        var page = await host.SignedInPageAsync(zone);

        // The first page that shows times after the zone changed is drawn again in it, once.
        await page.Context.ClearCookiesAsync(new() { Name = "herald_tz" });
        await page.GotoAsync($"/calendar?month={year - 1}-12");
        await Expect(page.Locator("[data-viewer-zone]")).ToHaveTextAsync($"times in {zone}");
        var monthDay = page.Locator($"td[data-day='{Iso(eve)}']");
        await Expect(monthDay.GetByRole(AriaRole.Link, new() { Name = title, Exact = true })).ToBeVisibleAsync();
        await Expect(monthDay.Locator("li").Filter(new() { HasText = title })).ToContainTextAsync("mastodon · 23:00");
        await Expect(page.Locator("caption")).ToContainTextAsync($"December {year - 1}, in {zone}");

        // From January's month to the week of its first day, then back to the week of 31 December when that is another.
        await page.GetByRole(AriaRole.Link, new() { Name = "Next month" }).ClickAsync();
        // January's page must be there before its Week link is clicked (on a busy machine December's may still be).
        await Expect(page.Locator("caption")).ToContainTextAsync($"January {year}, in {zone}");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Calendar view" }).GetByRole(AriaRole.Link, new() { Name = "Week" }).ClickAsync();
        var firstWeek = MondayOf(new DateOnly(year, 1, 1));
        await Expect(page).ToHaveURLAsync(new Regex($"/calendar\\?week={Iso(firstWeek)}$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 }))
            .ToHaveTextAsync($"Calendar: week of {firstWeek.ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture)}");
        if (eve < firstWeek)
        {
            await page.GetByRole(AriaRole.Link, new() { Name = "Previous week" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex($"/calendar\\?week={Iso(MondayOf(eve))}$"));
        }

        await Expect(page.Locator("thead th").Nth((eve.DayNumber - MondayOf(eve).DayNumber))).ToHaveTextAsync(
            eve.ToString("ddd d MMM", System.Globalization.CultureInfo.InvariantCulture));
        var weekDay = page.Locator($"td[data-day='{Iso(eve)}']");
        await Expect(weekDay.Locator("li").Filter(new() { HasText = title })).ToContainTextAsync("mastodon · 23:00");
        await page.ScreenshotAsync(new() { Path = Path.Combine(host.ScreenshotDirectory, "calendar-week.png"), FullPage = true });

        // Click through: the publication page shows its due time in the same zone and reads a new time in it; moved to
        // 10:00 a week and a day later, it is on that day of its week and gone from the old one.
        await weekDay.GetByRole(AriaRole.Link, new() { Name = title, Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = title, Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("dd").Filter(new() { HasText = "scheduled in" })).ToContainTextAsync($"{Iso(eve)} 23:00 {zone}");
        await Expect(page.GetByLabel("Time zone")).ToHaveValueAsync(zone);
        var later = eve.AddDays(8);
        await page.GetByLabel("New time").FillAsync($"{Iso(later)} 10:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Reschedule" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Done: rescheduled");
        Assert.Equal(new DateTimeOffset(later.ToDateTime(new TimeOnly(20, 0)), TimeSpan.Zero), (DateTimeOffset)(await host.GetPublicationAsync(id))["publication"]!["scheduledAt"]!);
        await page.GotoAsync($"/calendar?week={Iso(later)}");
        await Expect(page.Locator($"td[data-day='{Iso(later)}'] li").Filter(new() { HasText = title })).ToContainTextAsync("mastodon · 10:00");
        await page.GotoAsync($"/calendar?week={Iso(eve)}");
        await Expect(page.Locator($"td[data-day='{Iso(eve)}']")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = title, Exact = true })).ToHaveCountAsync(0);

        await page.GotoAsync("/calendar?week=someday");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("week: must be a day such as");
        await page.Context.CloseAsync();
    }

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static DateOnly MondayOf(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    [Fact]
    public async Task SignIn_WithAWrongPassword_IsRefused()
    {
        var page = await host.NewPageAsync();
        await page.GotoAsync("/login");
        await page.GetByLabel("User name").FillAsync(DashboardHost.AdminName);
        await page.GetByLabel("Password").FillAsync("Wrong-password-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Wrong user name or password.");
        await page.GotoAsync("/publications");
        await Expect(page).ToHaveURLAsync(new Regex("/login\\?ReturnUrl=%2Fpublications$"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(host.ScreenshotDirectory, "login.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SignedOut_EveryPageAndTheLiveStream_RedirectToSignIn()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(host.BaseUrl) };
        foreach (var path in new[] { "/", "/publications", "/publications?status=Failed", $"/publications/{host.FailingId}", "/calendar", "/compose", "/accounts", "/settings" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal($"/login?ReturnUrl={Uri.EscapeDataString(path)}", response.Headers.Location!.PathAndQuery);
        }

        // The live rows' stream is not a page: it is refused outright, with no event.
        using var stream = await client.GetAsync("/dashboard/events?lastEventId=x", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, stream.StatusCode);
        Assert.NotEqual("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("data:", await stream.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignOut_EndsTheSession()
    {
        var page = await host.SignedInPageAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/login$"));
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/login\\?ReturnUrl=%2F$"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AFormPostedWithoutTheAntiforgeryToken_IsRefused_AndChangesNothing()
    {
        var page = await host.SignedInPageAsync();
        var before = (string?)(await host.GetPublicationAsync(host.DraftId))["publication"]!["status"];
        // The signed-in browser's cookies, but no token: what a cross-site form would send.
        var form = page.APIRequest.CreateFormData();
        form.Set("_handler", "cancel");
        var response = await page.APIRequest.PostAsync($"/publications/{host.DraftId}", new() { Form = form, MaxRedirects = 0 });
        Assert.Equal(400, response.Status);
        Assert.Equal(before, (string?)(await host.GetPublicationAsync(host.DraftId))["publication"]!["status"]);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Credentials_AndThePassword_AppearInNoPageAndNoLogLine()
    {
        var page = await host.SignedInPageAsync();
        var html = new List<(string Path, string Html)>();
        foreach (var path in new[]
                 {
                     "/", "/publications", "/publications?status=Failed", $"/publications/{host.FailingId}", $"/publications/{host.PublishedId}",
                     $"/publications/{host.DraftId}", $"/publications/{host.LaterId}", "/compose", "/login", host.SetupLink,
                     "/accounts", "/accounts?platform=devto", "/settings",
                 })
        {
            await page.GotoAsync(path);
            html.Add((path, await page.ContentAsync()));
        }

        Assert.Contains(html, h => h.Html.Contains(host.FailingTitle, StringComparison.Ordinal));
        // The accounts page lists the sentinel account (by name and key names), never its values; no page shows an API key.
        Assert.Contains(html, h => h.Path == "/accounts" && h.Html.Contains("unused_secret", StringComparison.Ordinal));
        var secrets = host.Sentinels.Append(host.AdminPassword).Append(host.ApiKey).ToArray();
        var hits = html.Select(h => ($"page {h.Path}", h.Html)).Concat(host.LogLines.Select(l => ("log", l)))
            .Where(p => secrets.Any(s => p.Item2.Contains(s, StringComparison.Ordinal)))
            .Select(p => p.Item1).ToList();
        Assert.True(hits.Count == 0, "a credential leaked into: " + string.Join(", ", hits));
        await page.Context.CloseAsync();
    }

    private async Task WaitForAttemptsAsync(string id, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (await host.GetPublicationAsync(id) is var details &&
               (details["attempts"]!.AsArray().Count < count || (string?)details["publication"]!["status"] != "Failed"))
        {
            Assert.True(DateTime.UtcNow < deadline, $"publication {id} did not reach {count} attempts");
            await Task.Delay(200);
        }
    }
}
