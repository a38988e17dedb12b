using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Server.Keys;

namespace Herald.Server.Tests;

/// <summary>
/// <c>tokenExpiresAt</c> on <c>/api/v1/accounts</c>: stated with a token of fixed lifetime, shown in every answer (left out
/// when not known), refused by name when it is not an ISO 8601 instant, and forgotten when new credentials come
/// without one. Never a credential in any answer.
/// </summary>
public sealed class AccountTokenExpiryApiTests(SqliteServerFactory server) : IClassFixture<SqliteServerFactory>
{
    [Fact]
    public async Task Accounts_StatedTokenExpiry_IsShownInUtcAndChangedByPatch()
    {
        using var client = await server.ClientWithScopesAsync(ApiScopes.Write);
        var secret = $"secret-{Guid.NewGuid():N}";
        var created = await client.PostJsonAsync("/api/v1/accounts", new
        {
            platform = "threads",
            displayName = $"expiring {Guid.NewGuid():N}",
            credentials = new Dictionary<string, string> { ["access_token"] = secret },
            tokenExpiresAt = "2027-01-31T10:00:00+01:00",
        }).ExpectAsync(HttpStatusCode.Created);
        var id = (string)created["id"]!;
        try
        {
            Assert.Equal(new DateTimeOffset(2027, 1, 31, 9, 0, 0, TimeSpan.Zero), Instant(created));
            var listed = await client.GetAsync("/api/v1/accounts").ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(new DateTimeOffset(2027, 1, 31, 9, 0, 0, TimeSpan.Zero), Instant(listed.AsArray().Single(a => (string?)a!["id"] == id)!));
            Assert.DoesNotContain(secret, listed.ToJsonString(), StringComparison.Ordinal);

            // Only the expiry: the credentials stay, the new expiry is kept.
            var restated = await client.PatchAsync($"/api/v1/accounts/{id}", Json(new { tokenExpiresAt = "2027-03-01T00:00:00Z" })).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(new DateTimeOffset(2027, 3, 1, 0, 0, 0, TimeSpan.Zero), Instant(restated));
            Assert.Equal(["access_token"], restated["credentialKeys"]!.AsArray().Select(k => (string)k!));

            // A new token without an expiry: the stored one was the old token's, so it is no longer known.
            var renewed = await client.PatchAsync($"/api/v1/accounts/{id}", Json(new { credentials = new Dictionary<string, string> { ["access_token"] = "another" } }))
                .ExpectAsync(HttpStatusCode.OK);
            Assert.Null(renewed["tokenExpiresAt"]);
            var one = await client.GetAsync($"/api/v1/accounts/{id}").ExpectAsync(HttpStatusCode.OK);
            Assert.Null(one["tokenExpiresAt"]);
        }
        finally
        {
            (await client.DeleteAsync($"/api/v1/accounts/{id}?cancelPending=true")).Dispose();
        }
    }

    [Theory]
    [InlineData("next week")]
    [InlineData("2027-01-31")]
    [InlineData("2027-01-31 10:00")]
    [InlineData("2027-02-30T10:00:00Z")]
    public async Task Accounts_TokenExpiryThatIsNoInstant_IsRefusedByNameAndNothingChanges(string given)
    {
        using var client = await server.ClientWithScopesAsync(ApiScopes.Write);
        var name = $"refused expiry {Guid.NewGuid():N}";

        var refused = await client.PostJsonAsync("/api/v1/accounts", new
        {
            platform = "linkedin",
            displayName = name,
            credentials = new Dictionary<string, string> { ["access_token"] = "token" },
            tokenExpiresAt = given,
        }).ExpectAsync(HttpStatusCode.UnprocessableEntity);

        Api.AssertProblem(refused, 422);
        var message = (string)refused["errors"]!["tokenExpiresAt"]![0]!;
        Assert.Contains("ISO 8601 instant", message, StringComparison.Ordinal);
        var listed = await client.GetAsync("/api/v1/accounts").ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(name, listed.ToJsonString(), StringComparison.Ordinal);

        var id = (string)(await client.PostJsonAsync("/api/v1/accounts", new
        {
            platform = "linkedin",
            displayName = name,
            credentials = new Dictionary<string, string> { ["access_token"] = "token" },
            tokenExpiresAt = "2027-01-31T00:00:00Z",
        }).ExpectAsync(HttpStatusCode.Created))["id"]!;
        try
        {
            var patch = await client.PatchAsync($"/api/v1/accounts/{id}", Json(new { displayName = name + " renamed", tokenExpiresAt = given }))
                .ExpectAsync(HttpStatusCode.UnprocessableEntity);
            Assert.Equal(["tokenExpiresAt"], patch["errors"]!.AsObject().Select(e => e.Key));
            var unchanged = await client.GetAsync($"/api/v1/accounts/{id}").ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(name, (string?)unchanged["displayName"]);
            Assert.Equal(new DateTimeOffset(2027, 1, 31, 0, 0, 0, TimeSpan.Zero), Instant(unchanged));
        }
        finally
        {
            (await client.DeleteAsync($"/api/v1/accounts/{id}?cancelPending=true")).Dispose();
        }
    }

    private static DateTimeOffset? Instant(JsonNode account) =>
        account["tokenExpiresAt"] is { } value ? DateTimeOffset.Parse((string)value!, System.Globalization.CultureInfo.InvariantCulture) : null;

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json");
}
