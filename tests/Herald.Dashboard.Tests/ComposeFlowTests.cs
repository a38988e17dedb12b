using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Herald.Platforms;
using Herald.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Dashboard.Tests;

/// <summary>The Compose page in a real Chromium: the live preview as you type, scheduling in the browser's zone, and what it lands on.</summary>
[Collection(DashboardCollection.Name)]
public sealed partial class ComposeFlowTests(DashboardHost host)
{
    private const string Zone = "Europe/Berlin";

    private static readonly string[] Platforms = ["x", "mastodon", "bluesky", "devto"];

    [Fact]
    public async Task Compose_PreviewsEachPlatformAsYouType_ThenSchedules_AndLandsOnItsPublications()
    {
        var page = await ComposePage.OpenAsync(host, Zone);
        await Expect(page.GetByLabel("Time zone")).ToHaveValueAsync(Zone);

        var title = $"Composed article {Guid.NewGuid():N}";
        await page.GetByLabel("Title").FillAsync(title);
        await page.GetByLabel("Description").FillAsync("Written on the Compose page.");
        await page.GetByLabel("Tags").FillAsync("herald, dashboard");
        await page.GetByLabel("Canonical URL").FillAsync("https://example.com/composed");
        foreach (var platform in Platforms)
        {
            await ComposePage.Account(page, DisplayName(platform)).CheckAsync();
        }

        await page.GetByLabel("Post an article as a thread").CheckAsync();
        var preview = page.Locator(".compose-preview");
        await Expect(preview).ToContainTextAsync("Body: is required");

        // A link longer than a whole Bluesky post: Bluesky would refuse, and says why; X counts any link as 23.
        await page.GetByLabel("Body").FillAsync($"See https://example.com/{new string('a', 400)} for more.");
        await Expect(preview.Locator(".target-preview")).ToHaveCountAsync(Platforms.Length);
        await Expect(Card(page, "bluesky").Locator(".refusals")).ToContainTextAsync("body");
        await Expect(Card(page, "x").Locator(".parts .part")).ToHaveCountAsync(1);

        // A long body becomes numbered parts on each short-post platform, counted against its own limit.
        var body = string.Join("\n\n", Enumerable.Range(1, 8).Select(i =>
            $"Paragraph {i} of the composed article says something worth reading, at a length that needs several posts on every short platform."));
        await page.GetByLabel("Body").FillAsync(body);
        await Expect(Card(page, "bluesky").Locator(".refusals")).ToHaveCountAsync(0);
        await ExpectPartsAsync(page, "x", "weighted characters", 280);
        await ExpectPartsAsync(page, "mastodon", "characters", 500);
        await ExpectPartsAsync(page, "bluesky", "graphemes", 300);
        await Expect(Card(page, "devto")).ToContainTextAsync("Sent whole as an article");

        // Typing changes the counts: one more character on the last X part.
        var lastCount = Card(page, "x").Locator(".part .count").Last;
        var before = Count(await lastCount.TextContentAsync());
        await page.GetByLabel("Body").PressSequentiallyAsync("!");
        await Expect(lastCount).ToHaveTextAsync(new Regex($"^{before + 1} / 280 "));
        await page.ScreenshotAsync(new() { Path = Path.Combine(host.ScreenshotDirectory, "compose.png"), FullPage = true });

        // Due in about ten seconds, as a time in the browser's zone.
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Zone);
        var due = DateTimeOffset.UtcNow.AddSeconds(12);
        due = due.AddTicks(-(due.Ticks % TimeSpan.TicksPerSecond));
        // Chromium shows a whole minute as HH:mm, and Playwright refuses a fill whose value the input rewrites.
        if (due.Second == 0)
            due = due.AddSeconds(1);
        await page.GetByLabel("At a date and time").CheckAsync();
        await page.GetByLabel("Date and time", new() { Exact = true }).FillAsync(
            TimeZoneInfo.ConvertTime(due, zone).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Schedule" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/publications\\?content=[0-9a-f-]{32,36}$"));
        var contentId = page.Url[(page.Url.IndexOf("content=", StringComparison.Ordinal) + 8)..];
        var rows = page.Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(Platforms.Length);
        await Expect(page.Locator(".lead")).ToContainTextAsync(title);

        var stored = JsonNode.Parse(await host.Api.GetStringAsync($"/api/v1/contents/{contentId}"))!;
        Assert.Equal(title, (string?)stored["content"]!["title"]);
        Assert.Equal(["herald", "dashboard"], stored["content"]!["tags"]!.AsArray().Select(t => (string)t!));
        Assert.Equal("https://example.com/composed", (string?)stored["content"]!["canonicalUrl"]);
        Assert.All(stored["publications"]!.AsArray(), p => Assert.Equal(due, (DateTimeOffset)p!["scheduledAt"]!));
        Assert.All(stored["publications"]!.AsArray(), p => Assert.Equal(Zone, (string?)p!["timeZone"]));
        // The workers claim a publication HoldAhead before its instant (it is Publishing from then on, and the rows
        // follow within a second): only a check made a second before that can expect every row to say Scheduled.
        var shownScheduled = DateTimeOffset.UtcNow < due - new WorkerOptions().HoldAhead - TimeSpan.FromSeconds(1);
        if (shownScheduled)
        {
            // Still ahead: every row says Scheduled (on a machine slow enough to be past it, the workers may have begun).
            await Expect(rows.Locator(".badge").Filter(new() { HasText = "Scheduled" })).ToHaveCountAsync(Platforms.Length);
        }

        // No reload: the rows follow the dashboard's event stream, and each links the post on the running sandbox.
        await Expect(rows.Locator("[data-field=status] .badge").Filter(new() { HasText = "Published" }))
            .ToHaveCountAsync(Platforms.Length, new() { Timeout = 120_000 });
        if (shownScheduled)
        {
            // Each change was also said to screen readers, through the page's polite live region.
            await Expect(page.Locator("#live-announcer[aria-live=polite]")).ToContainTextAsync(": Published");
        }
        foreach (var row in await rows.AllAsync())
        {
            await Expect(row.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^open") }))
                .ToHaveAttributeAsync("href", new Regex("^http://127\\.0\\.0\\.1:\\d+/_sandbox/post\\?platform="));
        }

        await page.Context.CloseAsync();
    }

    private string DisplayName(string platform) =>
        host.Services.GetRequiredService<PlatformRegistry>().Resolve(platform).Platform.DisplayName;

    private static ILocator Card(IPage page, string platform) => page.Locator($".target-preview[data-platform={platform}]");

    private static async Task ExpectPartsAsync(IPage page, string platform, string unit, int limit)
    {
        var parts = Card(page, platform).Locator(".parts .part");
        await Expect(parts.Nth(1)).ToBeVisibleAsync();
        var count = await parts.CountAsync();
        await Expect(parts.First.Locator(".part-head")).ToContainTextAsync($"Part 1 of {count}");
        await Expect(parts.First.Locator(".part-text")).ToContainTextAsync($"1/{count}");
        foreach (var part in await parts.AllAsync())
        {
            await Expect(part.Locator(".count").First).ToHaveTextAsync(new Regex($"^\\d+ / {limit} {unit}$"));
            Assert.True(Count(await part.Locator(".count").First.TextContentAsync()) <= limit);
        }
    }

    private static int Count(string? text) => int.Parse(CountPattern().Match(text ?? "").Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex("^(\\d+) / ")]
    private static partial Regex CountPattern();
}
