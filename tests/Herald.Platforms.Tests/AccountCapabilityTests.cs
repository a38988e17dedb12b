using System.Net;
using System.Net.Http.Headers;
using Herald.Accounts;
using Herald.Platforms.Checks;
using Herald.Sandbox;
using Herald.Sandbox.Hosting;
using Herald.Sandbox.Threads;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Platforms.Tests;

/// <summary>
/// What an account's credentials can do, as the checks learn it over real HTTP from the sandbox: the scopes a
/// Mastodon token's application has, a Threads token's permissions (debug_token), an X token's scopes (entered, or
/// kept from a renewal), a Bluesky account's status; and what they say when the platform does not tell.
/// </summary>
public sealed class AccountCapabilityTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private SandboxServer Server => fixture.Server;

    [Fact]
    public async Task Mastodon_TokenWithoutWriteMedia_CannotUploadImages_NamesTheScopeAndTheFix_AndTheInstanceRefusesIt()
    {
        var token = $"mastodon-{Guid.NewGuid():N}";
        Server.State.Mastodon.AddAccount(token, "textonly", ["read", "write:statuses"]);

        var result = await CheckAsync("mastodon", new() { ["access_token"] = token });

        Assert.Equal(AccountCheckVerdict.Works, result.Verdict);
        Assert.False(result.CanDoAll);
        Assert.Equal(["read", "write:statuses"], result.GrantedScopes);
        Assert.Equal(CapabilityAnswer.Yes, Answer(result, AccountCapability.Post));
        Assert.Equal(CapabilityAnswer.Yes, Answer(result, AccountCapability.ReadBack));
        var images = result.Capabilities.Single(c => c.Capability == AccountCapability.UploadImages);
        Assert.Equal(CapabilityAnswer.No, images.Answer);
        Assert.Equal(["write:media"], images.MissingScopes);
        Assert.Contains("lacks write:media: images cannot be posted", images.Reason, StringComparison.Ordinal);
        Assert.Contains("write:statuses, write:media, read:statuses, read:accounts", images.Fix, StringComparison.Ordinal);
        Assert.Equal(["write:media"], result.MissingScopes);

        // The simulated instance refuses what the scopes do not allow, as Mastodon does.
        using var http = new HttpClient();
        using var upload = new HttpRequestMessage(HttpMethod.Post, new Uri(Server.BaseAddress, "mastodon/api/v2/media"))
        {
            Content = new MultipartFormDataContent { { new ByteArrayContent([1, 2, 3]), "file", "a.png" } },
        };
        upload.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var refused = await http.SendAsync(upload);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("outside the authorized scopes", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mastodon_Before43_ListsNoScopes_SoEachCapabilityIsUnknownSayingWhy()
    {
        var token = $"mastodon-{Guid.NewGuid():N}";
        Server.State.Mastodon.AddAccount(token, "older", ["read", "write:statuses"]);
        Server.State.Options.Mastodon.Version = new Version(4, 2, 10);
        try
        {
            var result = await CheckAsync("mastodon", new() { ["access_token"] = token });

            Assert.Equal(AccountCheckVerdict.Works, result.Verdict);
            Assert.All(result.Capabilities, c => Assert.Equal(CapabilityAnswer.Unknown, c.Answer));
            Assert.Contains("Mastodon before 4.3", result.Capabilities[0].Reason, StringComparison.Ordinal);
            Assert.Empty(result.MissingScopes);
        }
        finally
        {
            Server.State.Options.Mastodon.Version = new Version(4, 3, 0);
        }
    }

    [Fact]
    public async Task Mastodon_ReadOnlyToken_CannotPostOrUpload_ButReadsBack()
    {
        var token = $"mastodon-{Guid.NewGuid():N}";
        Server.State.Mastodon.AddAccount(token, "reader", ["read"]);

        var result = await CheckAsync("mastodon", new() { ["access_token"] = token });

        Assert.Equal(CapabilityAnswer.No, Answer(result, AccountCapability.Post));
        Assert.Equal(CapabilityAnswer.No, Answer(result, AccountCapability.UploadImages));
        Assert.Equal(CapabilityAnswer.Yes, Answer(result, AccountCapability.ReadBack));
        Assert.Equal(["write:statuses", "write:media"], result.MissingScopes);
    }

    [Fact]
    public async Task Threads_TokenWithoutManageReplies_CannotPostThreads_FromDebugToken()
    {
        var token = $"threads-{Guid.NewGuid():N}";
        var user = Server.State.Threads.AddUser(token, $"u{Guid.NewGuid():N}"[..12],
            new HashSet<string>(StringComparer.Ordinal) { ThreadsPermissions.Basic, ThreadsPermissions.ContentPublish });

        var result = await CheckAsync("threads", new() { ["access_token"] = token }, new() { ["user_id"] = user.Id });

        Assert.Equal(AccountCheckVerdict.Works, result.Verdict);
        Assert.Equal(["threads_basic", "threads_content_publish"], result.GrantedScopes);
        Assert.Equal(CapabilityAnswer.Yes, Answer(result, AccountCapability.Post));
        Assert.Equal(CapabilityAnswer.Yes, Answer(result, AccountCapability.UploadImages));
        Assert.Equal(CapabilityAnswer.No, Answer(result, AccountCapability.Reply));
        Assert.Equal(["threads_manage_replies"], result.MissingScopes);
        Assert.Single(Server.Requests.For("threads"), r => r.Path.EndsWith("/debug_token", StringComparison.Ordinal) && r.StatusCode == 200 && r.QueryString.Contains(Uri.EscapeDataString(token), StringComparison.Ordinal));
    }

    [Fact]
    public async Task X_Scopes_UnknownUntilKnown_EnteredWithTheToken_OrKeptFromARenewal()
    {
        var x = Server.State.X;
        var user = x.AddUser($"cap{Guid.NewGuid():N}"[..15]);
        x.AddAccessToken(user, $"plain-{user.Id}");

        var unknown = await CheckAsync("x", new() { ["access_token"] = $"plain-{user.Id}" });
        Assert.True(unknown.CanDoAll);
        Assert.Null(unknown.GrantedScopes);
        Assert.All(unknown.Capabilities, c => Assert.Equal(CapabilityAnswer.Unknown, c.Answer));
        Assert.Contains("X does not report a token's scopes", unknown.Capabilities[0].Reason, StringComparison.Ordinal);

        var entered = await CheckAsync("x", new() { ["access_token"] = $"plain-{user.Id}", ["scope"] = "tweet.read tweet.write users.read" });
        Assert.Equal(CapabilityAnswer.Yes, Answer(entered, AccountCapability.Post));
        Assert.Equal(CapabilityAnswer.No, Answer(entered, AccountCapability.UploadImages));
        Assert.Equal(["media.write"], entered.MissingScopes);

        // An expired token renewed by the check: X's token answer names the scopes the app was granted, and they are kept.
        var clientId = $"client-{Guid.NewGuid():N}";
        x.AddClient(clientId, scopes: "tweet.read users.read offline.access");
        var pair = x.IssueTokens(user, clientId);
        x.AddAccessToken(user, $"expired-{user.Id}", fixture.Clock.GetUtcNow().AddMinutes(-1));
        var credentials = new AccountCredentials
        {
            ["access_token"] = $"expired-{user.Id}",
            ["refresh_token"] = pair.RefreshToken,
            ["client_id"] = clientId,
        };
        await using var provider = Services();
        var renewed = await provider.GetRequiredService<AccountChecker>().CheckAsync(AccountOf("x", credentials));
        Assert.Equal(AccountCheckVerdict.Works, renewed.Verdict);
        Assert.Equal("tweet.read users.read offline.access", credentials["scope"]);
        Assert.Equal(CapabilityAnswer.No, Answer(renewed, AccountCapability.Post));
        Assert.Equal(["tweet.write", "media.write"], renewed.MissingScopes);
    }

    [Fact]
    public async Task Bluesky_DeactivatedAccount_WorksButCannotPost_SayingWhyAndTheFix()
    {
        var handle = $"off{Guid.NewGuid():N}"[..12] + ".bsky.social";
        var account = Server.State.Bluesky.AddAccount(handle, "off-pass-word-0000");
        account.Status = "deactivated";

        var result = await CheckAsync("bluesky", new() { ["identifier"] = handle, ["app_password"] = "off-pass-word-0000" });

        Assert.Equal(AccountCheckVerdict.Works, result.Verdict);
        Assert.False(result.CanDoAll);
        var post = result.Capabilities.Single(c => c.Capability == AccountCapability.Post);
        Assert.Equal(CapabilityAnswer.No, post.Answer);
        Assert.Contains("deactivated", post.Reason, StringComparison.Ordinal);
        Assert.Contains("reactivate", post.Fix, StringComparison.Ordinal);
        Assert.Equal(CapabilityAnswer.Unknown, Answer(result, AccountCapability.ReadBack));
    }

    [Theory]
    [InlineData("linkedin", "w_member_social is checked at the first post")]
    [InlineData("medium", "uploadImage")]
    public async Task PlatformsThatDoNotTellScopes_SaySo(string platform, string said)
    {
        var simulated = SandboxPlatforms.Find(platform)!;
        var result = await CheckAsync(platform, new(simulated.Account.Credentials), new(simulated.Account.Settings));

        Assert.True(result.CanDoAll);
        Assert.Null(result.GrantedScopes);
        Assert.Contains(result.Capabilities, c => c.Answer == CapabilityAnswer.Unknown && c.Reason.Contains(said, StringComparison.Ordinal));
        Assert.DoesNotContain(result.Capabilities, c => c.Capability == AccountCapability.ReadBack);
    }

    private static CapabilityAnswer Answer(AccountCheckResult result, AccountCapability capability) =>
        result.Capabilities.Single(c => c.Capability == capability).Answer;

    private async Task<AccountCheckResult> CheckAsync(string platform, Dictionary<string, string> credentials, Dictionary<string, string>? settings = null)
    {
        await using var provider = Services();
        return await provider.GetRequiredService<AccountChecker>().CheckAsync(AccountOf(platform, new AccountCredentials(credentials), settings));
    }

    private Account AccountOf(string platform, IReadOnlyDictionary<string, string> credentials, IReadOnlyDictionary<string, string>? settings = null) =>
        AccountOf(platform, new AccountCredentials(credentials), settings);

    private Account AccountOf(string platform, AccountCredentials credentials, IReadOnlyDictionary<string, string>? settings = null) =>
        AccountCheckHost.AccountOf(fixture, platform, credentials, settings);

    private ServiceProvider Services() => AccountCheckHost.Services(fixture);
}
