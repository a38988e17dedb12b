using System.Text;
using System.Text.Json;
using Herald.Accounts;
using Herald.Contents;
using Herald.Engine;
using Herald.Platforms;
using Herald.Publications;
using Herald.Sandbox;
using Herald.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.IntegrationTests.Engine;

/// <summary>The real publication runner, SQLite and the sandbox publishing X threads.</summary>
public sealed class XThreadRunnerTests
{
    /// <summary>
    /// Issue 4 acceptance: killing the process after part 2 of a thread and resuming sends parts 3.. only,
    /// the first of them replying to part 2, and the publication ends Published with its first part's id.
    /// </summary>
    [Fact]
    public async Task Run_KilledAfterPartTwo_ResumedRunSendsOnlyPartThreeOnReplyingToPartTwo()
    {
        await using var harness = await RunnerHarness.StartAsync();
        var x = harness.Sandbox.State.X;
        var content = ThreadArticle();
        var (publication, account) = await harness.ScheduleAsync(content, XAccount(harness, SandboxAccounts.XAccessToken));
        var parts = Adapter(harness).Render(content, account).Parts;
        Assert.True(parts.Count >= 5, $"{parts.Count} parts");

        // Part 3 is held at the sandbox; the "process" dies once two parts are confirmed in the database.
        x.HoldCreatesAfter(2);
        using var kill = new CancellationTokenSource();
        var firstRun = harness.Runner.RunAsync(publication, content, account, "worker-1", kill.Token);
        await EventuallyAsync(async () => x.HeldCreates == 1 && (await LoadAsync(harness, publication.Id)).ThreadPartIds.Count == 2);
        await kill.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => firstRun);
        await EventuallyAsync(() => Task.FromResult(x.HeldCreates == 0));
        x.ReleaseCreates();
        Assert.Equal(2, x.Posts.Count);

        // A new process: its own scope, the publication as stored, the lease expired.
        harness.Clock.Advance(TimeSpan.FromMinutes(6));
        await using var restarted = harness.Services.CreateAsyncScope();
        var stored = await restarted.ServiceProvider.GetRequiredService<IPublicationStore>().GetPublicationAsync(publication.Id);
        Assert.Equal(PublicationStatus.Publishing, stored!.Status);
        Assert.Equal(x.Posts.Select(p => p.Id), stored.ThreadPartIds);
        var before = CreatesOf(harness).Count;

        var result = await restarted.ServiceProvider.GetRequiredService<PublicationRunner>().RunAsync(stored, content, account, "worker-2");

        var resent = CreatesOf(harness).Skip(before).ToList();
        Assert.Equal(parts.Skip(2).Select(p => p.Text), resent.Select(r => r.Text));
        Assert.Equal(stored.ThreadPartIds[1], resent[0].InReplyTo);
        var posts = x.Posts;
        Assert.Equal(parts.Select(p => p.Text), posts.Select(p => p.Text));
        for (var i = 1; i < posts.Count; i++)
        {
            Assert.Equal(posts[i - 1].Id, posts[i].InReplyToId);
        }

        Assert.True(result.IsSuccess, result.Error);
        var final = await LoadAsync(harness, publication.Id);
        Assert.Equal(PublicationStatus.Published, final.Status);
        Assert.Equal(posts[0].Id, final.ExternalId);
        Assert.Equal(new Uri($"https://x.com/{SandboxAccounts.XUsername}/status/{posts[0].Id}"), final.Url);
        Assert.Equal(posts.Select(p => p.Id), final.ThreadPartIds);
    }

    [Fact]
    public async Task Run_ExpiredOAuth2Token_RenewsItAndTheDatabaseKeepsTheNewPair()
    {
        await using var harness = await RunnerHarness.StartAsync();
        var x = harness.Sandbox.State.X;
        var user = x.AddUser("renewing_user");
        x.AddAccessToken(user, "expired-access-token", DateTimeOffset.UnixEpoch);
        var issued = x.IssueTokens(user, SandboxAccounts.XClientId);
        var account = XAccount(harness, "expired-access-token");
        account.Credentials["refresh_token"] = issued.RefreshToken;
        account.Credentials["client_id"] = SandboxAccounts.XClientId;
        var content = new Content { Type = ContentType.Post, Body = "Posted after renewing the token" };
        var (publication, stored) = await harness.ScheduleAsync(content, account);

        var result = await harness.Runner.RunAsync(publication, content, stored, "worker-1");

        Assert.True(result.IsSuccess, result.Error);
        Assert.Single(x.Posts, p => p.AuthorId == user.Id);
        await using var scope = harness.Services.CreateAsyncScope();
        var saved = await scope.ServiceProvider.GetRequiredService<HeraldDbContext>().Accounts.SingleAsync(a => a.Id == stored.Id);
        Assert.NotEqual("expired-access-token", saved.Credentials["access_token"]);
        Assert.NotEqual(issued.RefreshToken, saved.Credentials["refresh_token"]);
        Assert.Equal(SandboxAccounts.XClientId, saved.Credentials["client_id"]);
        // The stored refresh token is the live one: the sandbox renews with it.
        using var http = new HttpClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = saved.Credentials["refresh_token"]!,
            ["client_id"] = SandboxAccounts.XClientId,
        });
        using var renewed = await http.PostAsync(new Uri(harness.Sandbox.PlatformBaseUrl("x") + "/2/oauth2/token"), form);
        Assert.Equal(System.Net.HttpStatusCode.OK, renewed.StatusCode);
    }

    private static Account XAccount(RunnerHarness harness, string accessToken) => new()
    {
        Platform = "x",
        DisplayName = $"sandbox-{Guid.NewGuid():N}",
        BaseUrl = harness.Sandbox.PlatformBaseUrl("x"),
        Credentials = new AccountCredentials { ["access_token"] = accessToken },
    };

    private static IPlatformAdapter Adapter(RunnerHarness harness) =>
        harness.Services.GetRequiredService<PlatformRegistry>().Resolve("x");

    private static async Task<Publication> LoadAsync(RunnerHarness harness, PublicationId id)
    {
        await using var scope = harness.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<IPublicationStore>().GetPublicationAsync(id))!;
    }

    /// <summary>The text and parent of each create the sandbox accepted, in order.</summary>
    private static List<(string Text, string? InReplyTo)> CreatesOf(RunnerHarness harness) =>
        [.. harness.Sandbox.Requests.For("x").Where(r => r is { Method: "POST", Path: "/x/2/tweets", Accepted: true }).Select(r =>
        {
            using var json = JsonDocument.Parse(r.Body);
            var root = json.RootElement;
            return (root.GetProperty("text").GetString()!,
                root.TryGetProperty("reply", out var reply) ? reply.GetProperty("in_reply_to_tweet_id").GetString() : null);
        })];

    /// <summary>Waits (up to 30 s of real time) for something another task does.</summary>
    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 600; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail("The condition did not hold within 30 seconds.");
    }

    private static Content ThreadArticle()
    {
        var sentence = "Herald cuts a long article into a thread of posts, each within 280 weighted characters, and sends them in order, " +
                       "see https://blog.example.com/threads for how. ";
        var body = new StringBuilder();
        while (body.Length < 1900)
        {
            body.Append(sentence);
            if (body.Length % 3 == 0)
            {
                body.Append("\n\n");
            }
        }

        return new Content
        {
            Title = "A thread that survives a crash",
            Body = body.ToString().Trim() + " The end.",
            Thread = true,
            Tags = ["dotnet"],
            CanonicalUrl = new Uri("https://blog.example.com/crash-safe-threads"),
        };
    }
}
