using System.Net;
using System.Net.Sockets;
using Herald.Sandbox;
using Herald.Server.Keys;

namespace Herald.Server.Tests;

/// <summary>
/// <c>POST /accounts/{id}/test</c> over real HTTP against the in-process sandbox, for every platform: the sandbox
/// accounts work, name their identity and say what they can do; a token lacking a scope works but cannot do all
/// Herald needs; wrong credentials are refused by the platform; an endpoint nobody listens on is unreachable.
/// </summary>
public abstract class AccountTestTests(ServerFactory server)
{
    private static readonly string[] Platforms = ["bluesky", "devto", "linkedin", "mastodon", "medium", "threads", "x"];

    [Fact]
    public async Task Test_EverySandboxAccount_WorksAndNamesItsIdentity()
    {
        using var client = await server.ClientWithScopesAsync(ApiScopes.Write);
        var accounts = (await client.GetAsync("/api/v1/accounts").ExpectAsync(HttpStatusCode.OK)).AsArray();
        foreach (var platform in Platforms)
        {
            var id = (string)accounts.First(a => (string)a!["platform"]! == platform && (bool)a["sandbox"]!)!["id"]!;
            var result = await client.PostAsync($"/api/v1/accounts/{id}/test", null).ExpectAsync(HttpStatusCode.OK);
            Assert.True((string?)result["verdict"] == "Works", $"{platform}: {result.ToJsonString()}");
            Assert.False(string.IsNullOrEmpty((string?)result["identity"] ?? (string?)result["identityId"]), $"{platform} named nobody");
            Assert.Equal(platform, (string)result["platform"]!);
            Assert.True((bool)result["canDoAll"]!, $"{platform}: {result.ToJsonString()}");
            var capabilities = result["capabilities"]!.AsArray();
            Assert.Contains(capabilities, c => (string)c!["capability"]! == "Post");
            Assert.All(capabilities, c => Assert.False(string.IsNullOrEmpty((string?)c!["reason"]), result.ToJsonString()));
        }
    }

    [Fact]
    public async Task Test_TokenLackingAScope_WorksButCannotDoAll_NamingTheScope()
    {
        using var client = await server.ClientWithScopesAsync(ApiScopes.Write);
        var token = $"scoped-{Guid.NewGuid():N}";
        server.Sandbox.State.Mastodon.AddAccount(token, "textonly", ["read", "write:statuses"]);
        var created = await client.PostJsonAsync("/api/v1/accounts", new
        {
            platform = "mastodon",
            displayName = $"scoped {Guid.NewGuid():N}",
            credentials = new Dictionary<string, string> { ["access_token"] = token },
            baseUrl = server.Sandbox.PlatformBaseUrl("mastodon").ToString(),
        }).ExpectAsync(HttpStatusCode.Created);

        var result = await client.PostAsync($"/api/v1/accounts/{(string)created["id"]!}/test", null).ExpectAsync(HttpStatusCode.OK);

        Assert.True((string?)result["verdict"] == "Works", result.ToJsonString());
        Assert.False((bool)result["canDoAll"]!);
        Assert.Equal(["read", "write:statuses"], result["grantedScopes"]!.AsArray().Select(s => (string)s!));
        Assert.Equal(["write:media"], result["missingScopes"]!.AsArray().Select(s => (string)s!));
        var images = result["capabilities"]!.AsArray().Single(c => (string)c!["capability"]! == "UploadImages")!;
        Assert.Equal("No", (string)images["answer"]!);
        Assert.Equal(["write:media"], images["missingScopes"]!.AsArray().Select(s => (string)s!));
        Assert.Contains("write:media", (string)images["fix"]!, StringComparison.Ordinal);
        Assert.DoesNotContain(token, result.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_WrongCredentials_AreRefusedOnEveryPlatform()
    {
        using var client = await server.ClientWithScopesAsync(ApiScopes.Write);
        foreach (var platform in Platforms)
        {
            var id = await AddAccountAsync(client, platform, server.Sandbox.PlatformBaseUrl(platform));
            var result = await client.PostAsync($"/api/v1/accounts/{id}/test", null).ExpectAsync(HttpStatusCode.OK);
            Assert.True((string?)result["verdict"] == "CredentialsRefused", $"{platform}: {result.ToJsonString()}");
            Assert.Null(result["identity"]);
            Assert.DoesNotContain("wrong-", result.ToJsonString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Test_EndpointNobodyListensOn_IsUnreachable()
    {
        using var client = await server.ClientWithScopesAsync(ApiScopes.Write);
        var closed = ClosedLoopbackPort();
        foreach (var platform in new[] { "devto", "mastodon", "bluesky" })
        {
            var id = await AddAccountAsync(client, platform, new Uri($"http://127.0.0.1:{closed}/"));
            var result = await client.PostAsync($"/api/v1/accounts/{id}/test", null).ExpectAsync(HttpStatusCode.OK);
            Assert.True((string?)result["verdict"] == "Unreachable", $"{platform}: {result.ToJsonString()}");
        }

        Api.AssertProblem(await client.PostAsync($"/api/v1/accounts/{Guid.NewGuid()}/test", null).ExpectAsync(HttpStatusCode.NotFound), 404);
        using var reader = await server.ClientWithScopesAsync(ApiScopes.Read);
        var any = (string)(await reader.GetAsync("/api/v1/accounts").ExpectAsync(HttpStatusCode.OK)).AsArray()[0]!["id"]!;
        Api.AssertProblem(await reader.PostAsync($"/api/v1/accounts/{any}/test", null).ExpectAsync(HttpStatusCode.Forbidden), 403);
    }

    [Fact]
    public async Task Accounts_ShowWhenCredentialsWereLastRenewed_ChangedOnlyByNewCredentials()
    {
        using var client = await server.ClientWithScopesAsync(ApiScopes.Write);
        var id = await AddAccountAsync(client, "devto", server.Sandbox.PlatformBaseUrl("devto"));
        var created = await client.GetAsync($"/api/v1/accounts/{id}").ExpectAsync(HttpStatusCode.OK);
        var first = (DateTimeOffset)created["credentialsRenewedAt"]!;
        var listed = (await client.GetAsync("/api/v1/accounts").ExpectAsync(HttpStatusCode.OK)).AsArray().Single(a => (string)a!["id"]! == id)!;
        Assert.Equal(first, (DateTimeOffset)listed["credentialsRenewedAt"]!);

        var renamed = await PatchAsync(client, id, new { displayName = $"renamed {Guid.NewGuid():N}" });
        Assert.Equal(first, (DateTimeOffset)renamed["credentialsRenewedAt"]!);

        var renewed = await PatchAsync(client, id, new { credentials = new Dictionary<string, string> { ["api_key"] = "another" } });
        Assert.True((DateTimeOffset)renewed["credentialsRenewedAt"]! > first, renewed.ToJsonString());
        Assert.Equal((DateTimeOffset)renewed["credentialsRenewedAt"]!,
            (DateTimeOffset)(await client.GetAsync($"/api/v1/accounts/{id}").ExpectAsync(HttpStatusCode.OK))["credentialsRenewedAt"]!);
    }

    private static Task<System.Text.Json.Nodes.JsonNode> PatchAsync(HttpClient client, string id, object body) =>
        client.PatchAsync($"/api/v1/accounts/{id}", new StringContent(System.Text.Json.JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json"))
            .ExpectAsync(HttpStatusCode.OK);

    private static async Task<string> AddAccountAsync(HttpClient client, string platform, Uri baseUrl)
    {
        var wrong = $"wrong-{Guid.NewGuid():N}";
        var credentials = platform switch
        {
            "devto" => new Dictionary<string, string> { ["api_key"] = wrong },
            "bluesky" => new Dictionary<string, string> { ["identifier"] = "nobody.bsky.social", ["app_password"] = wrong },
            _ => new Dictionary<string, string> { ["access_token"] = wrong },
        };
        var created = await client.PostJsonAsync("/api/v1/accounts", new
        {
            platform,
            displayName = $"test {Guid.NewGuid():N}",
            credentials,
            baseUrl = baseUrl.ToString(),
        }).ExpectAsync(HttpStatusCode.Created);
        return (string)created["id"]!;
    }

    /// <summary>A loopback port nobody listens on: bound, then released.</summary>
    private static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>On SQLite.</summary>
public sealed class SqliteAccountTestTests(SqliteServerFactory server) : AccountTestTests(server), IClassFixture<SqliteServerFactory>;

/// <summary>On PostgreSQL.</summary>
public sealed class PostgresAccountTestTests(PostgresServerFactory server) : AccountTestTests(server), IClassFixture<PostgresServerFactory>;
