using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Herald.Dashboard.Tests;

/// <summary>Every dashboard page checked with axe-core in Chromium, in light and in dark: no serious or critical violation.</summary>
[Collection(DashboardCollection.Name)]
public sealed class AccessibilityTests(DashboardHost host)
{
    [Theory]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task EveryPage_HasNoSeriousOrCriticalAxeViolation(ColorScheme scheme)
    {
        var signedOut = await host.NewPageAsync();
        await signedOut.EmulateMediaAsync(new() { ColorScheme = scheme });
        var findings = new List<string>();
        foreach (var path in new[] { "/login", host.SetupLink })
        {
            await signedOut.GotoAsync(path);
            findings.AddRange(await ViolationsAsync(signedOut, path));
        }

        await signedOut.Context.CloseAsync();

        var page = await host.SignedInPageAsync();
        await page.EmulateMediaAsync(new() { ColorScheme = scheme });
        foreach (var path in new[]
                 {
                     "/", "/publications", "/publications?status=Lost", $"/publications/{host.FailingId}", $"/publications/{host.PublishedId}",
                     $"/publications/{host.LaterId}", $"/publications/{host.DraftId}", "/calendar", "/compose",
                     "/accounts", "/accounts?platform=devto", "/settings",
                 })
        {
            await page.GotoAsync(path);
            findings.AddRange(await ViolationsAsync(page, path));
        }

        await page.Context.CloseAsync();
        Assert.True(findings.Count == 0, string.Join("\n", findings));
    }

    private static async Task<IEnumerable<string>> ViolationsAsync(IPage page, string path)
    {
        // Every rule still runs on every element; only the violations, which this test reads, are gathered node by node
        // and sent back from the browser (axe lists passes and the rest with one node each).
        var result = await page.RunAxe(new AxeRunOptions { ResultTypes = [ResultType.Violations] });
        return result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{path}: {v.Id} ({v.Impact}) {v.Help} — {string.Join(", ", v.Nodes.Take(3).Select(n => n.Html))}");
    }
}
