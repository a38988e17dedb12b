using System.Net.Http.Json;
using System.Text.Json;
using Herald.Sandbox.Hosting;

namespace Herald.Platforms.Tests;

/// <summary>
/// The one list of simulated platforms drives the whole sandbox: its control endpoints, its routes, its request
/// recorder and its post listing, so a platform joins by its description alone.
/// </summary>
public sealed class SandboxPlatformsTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private SandboxServer Server => fixture.Server;

    [Fact]
    public async Task Control_ListsExactlyTheRegisteredPlatforms()
    {
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };

        var root = await http.GetFromJsonAsync<JsonElement>("_sandbox/");

        Assert.Equal(
            SandboxPlatforms.All.Select(p => p.Id).Order(),
            root.GetProperty("platforms").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(SandboxPlatforms.All.Count, SandboxPlatforms.All.Select(p => p.Id).Distinct().Count());
    }

    [Fact]
    public async Task EveryRegisteredPlatform_IsServedUnderItsBasePathRecordedAndListed()
    {
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };

        foreach (var platform in SandboxPlatforms.All)
        {
            var baseUrl = Server.PlatformBaseUrl(platform.Id);
            Assert.StartsWith($"/{platform.Id}", baseUrl.AbsolutePath, StringComparison.Ordinal);
            var before = Server.Requests.For(platform.Id).Count;

            using var _ = await http.GetAsync(new Uri(baseUrl + "/no-such-endpoint"));

            Assert.True(Server.Requests.For(platform.Id).Count > before, $"{platform.Id}: the request was not recorded as its traffic");
            using var posts = await http.GetAsync($"_sandbox/posts?platform={platform.Id}");
            Assert.True(posts.IsSuccessStatusCode, $"{platform.Id}: /_sandbox/posts answered {(int)posts.StatusCode}");
            Assert.All(
                await posts.Content.ReadFromJsonAsync<SandboxPost[]>(JsonSerializerOptions.Web) ?? [],
                post => Assert.Equal(platform.Id, post.Platform));
        }
    }

    [Fact]
    public void EveryRegisteredPlatform_HasANameAndAFixedAccountToSignInWith()
    {
        Assert.All(SandboxPlatforms.All, platform =>
        {
            Assert.False(string.IsNullOrWhiteSpace(platform.DisplayName), platform.Id);
            Assert.NotEmpty(platform.Account.Credentials);
            Assert.All(platform.Account.Credentials.Values, value => Assert.False(string.IsNullOrEmpty(value), platform.Id));
        });
    }

    [Fact]
    public void PlatformBaseUrl_UnknownPlatform_NamesIt()
    {
        var error = Assert.Throws<ArgumentException>(() => Server.PlatformBaseUrl("myspace"));

        Assert.Contains("'myspace'", error.Message, StringComparison.Ordinal);
    }
}
