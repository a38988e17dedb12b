using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Server.Dashboard.Compose;
using Herald.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Dashboard.Tests;

/// <summary>
/// The Compose page's server logic on the running server, without a browser: it answers what the REST API answers
/// for the same input (one service behind both), places each problem at its input, and stores only what passes.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class ComposeServiceTests(DashboardHost host)
{
    [Fact]
    public async Task Preview_IsThePreviewsApisAnswer_WithRefusalsPerAccount()
    {
        await using var scope = host.Services.CreateAsyncScope();
        var compose = scope.ServiceProvider.GetRequiredService<ComposeService>();
        var accounts = await compose.AccountsAsync(CancellationToken.None);
        var form = new ComposeForm
        {
            Title = "Same as the API",
            Body = $"A link longer than a Bluesky post: https://example.com/{new string('b', 400)}\n\n" + string.Join(" ", Enumerable.Repeat("words", 120)),
            Tags = "one, two",
            Thread = true,
            Accounts = [Sandbox(accounts, "x"), Sandbox(accounts, "bluesky"), Sandbox(accounts, "mastodon")],
        };

        var preview = await compose.PreviewAsync(form, accounts, CancellationToken.None);
        Assert.Empty(preview.Problems);
        Assert.Equal(["x", "bluesky", "mastodon"], preview.Targets.Select(t => t.Platform));
        var bluesky = preview.Targets.Single(t => t.Platform == "bluesky");
        Assert.Null(bluesky.Payload);
        Assert.Contains(bluesky.Problems, p => p.StartsWith("body:", StringComparison.Ordinal));
        var x = preview.Targets.Single(t => t.Platform == "x").Payload!;
        Assert.True(x.Parts.Count > 1);
        Assert.All(x.Parts, p => Assert.True(p.Count <= p.Limit));

        using var response = await host.Api.PostAsJsonAsync("/api/v1/previews", form.ToRequest(), JsonSerializerOptions.Web);
        var api = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["targets"]!.AsArray();
        Assert.Equal(preview.Targets.Count, api.Count);
        for (var i = 0; i < api.Count; i++)
        {
            Assert.Equal(preview.Targets[i].Problems, api[i]!["problems"]!.AsArray().Select(p => (string)p!));
            Assert.Equal(
                preview.Targets[i].Payload?.Parts.Select(p => (p.Text, p.Count, p.Limit)) ?? [],
                api[i]!["payload"]?["parts"]?.AsArray().Select(p => ((string)p!["text"]!, (int)p["count"]!, (int)p["limit"]!)) ?? []);
        }
    }

    [Fact]
    public async Task Submit_RefusesWithEveryProblemAtItsInput_AndStoresNothing()
    {
        await using var scope = host.Services.CreateAsyncScope();
        var compose = scope.ServiceProvider.GetRequiredService<ComposeService>();
        var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
        var accounts = await compose.AccountsAsync(CancellationToken.None);
        var before = await db.Contents.CountAsync();

        var result = await compose.SubmitAsync(new ComposeForm
        {
            Title = " ",
            Body = "Body",
            CanonicalUrl = "ftp://example.com/a",
            Accounts = [Sandbox(accounts, "x")],
            When = "later",
            At = "2031-01-01T09:00",
            TimeZone = "Mars/Olympus",
        }, accounts, CancellationToken.None);
        Assert.Null(result.ContentId);
        Assert.Contains(new ComposeProblem(ComposeForm.Names.Title, "Title: is required for an article (or set type to post)"), result.Problems);
        Assert.Contains(new ComposeProblem(ComposeForm.Names.CanonicalUrl, "Canonical URL: must be an absolute http(s) URL"), result.Problems);
        Assert.Contains(result.Problems, p => p.Input == ComposeForm.Names.TimeZone && p.Message.StartsWith("Time zone: 'Mars/Olympus' is not a known IANA time zone", StringComparison.Ordinal));

        var noAccount = await compose.SubmitAsync(new ComposeForm { Title = "T", Body = "B", When = "later" }, accounts, CancellationToken.None);
        Assert.Equal([ComposeForm.Names.At, ComposeForm.Names.Accounts], noAccount.Problems.Select(p => p.Input));
        Assert.Equal(before, await db.Contents.CountAsync());
    }

    [Fact]
    public async Task Submit_SchedulesAtTheLocalTimeInTheZone_ToEveryChosenAccount()
    {
        await using var scope = host.Services.CreateAsyncScope();
        var compose = scope.ServiceProvider.GetRequiredService<ComposeService>();
        var accounts = await compose.AccountsAsync(CancellationToken.None);
        var result = await compose.SubmitAsync(new ComposeForm
        {
            Title = $"Service-composed {Guid.NewGuid():N}",
            Body = "Scheduled far ahead by the Compose page's logic.",
            Accounts = [Sandbox(accounts, "mastodon"), Sandbox(accounts, "devto")],
            When = "later",
            At = "2031-07-01T09:30:15",
            TimeZone = "Europe/Berlin",
        }, accounts, CancellationToken.None);

        Assert.Empty(result.Problems);
        var stored = JsonNode.Parse(await host.Api.GetStringAsync($"/api/v1/contents/{result.ContentId}"))!;
        var publications = stored["publications"]!.AsArray();
        Assert.Equal(["devto", "mastodon"], publications.Select(p => (string)p!["platform"]!));
        Assert.All(publications, p => Assert.Equal(new DateTimeOffset(2031, 7, 1, 7, 30, 15, TimeSpan.Zero), (DateTimeOffset)p!["scheduledAt"]!));
        Assert.All(publications, p => Assert.Equal("Scheduled", (string?)p!["status"]));
        foreach (var publication in publications)
        {
            // Far ahead and not part of the other tests' counts: cancelled again.
            using var cancelled = await host.Api.PostAsync($"/api/v1/publications/{publication!["id"]}/cancel", null);
            Assert.True(cancelled.IsSuccessStatusCode);
        }
    }

    [Theory]
    [InlineData("title", "is required", "title", "Title: is required")]
    [InlineData("tags[1]", "must not be empty", "tags", "Tags (tags[1]): must not be empty")]
    [InlineData("targets[1].body", "too long", "account", "Mastodon · sandbox: Body: too long")]
    [InlineData("targets", "name one", "account", "Accounts: name one")]
    [InlineData("series", "too long", "", "series: too long")]
    public void Problems_ArePlacedAtTheirInput_NamingFieldAndAccount(string field, string message, string input, string shown)
    {
        Assert.Equal(new ComposeProblem(input, shown), ComposeProblem.From(field, message, ["X · sandbox", "Mastodon · sandbox"]));
    }

    private static string Sandbox(IReadOnlyList<ComposeAccount> accounts, string platform) =>
        accounts.Single(a => a.Platform == platform && a.Name == "sandbox").Id;
}
