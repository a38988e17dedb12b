using System.Net;
using Herald.Server.Keys;
using Microsoft.OpenApi;

namespace Herald.Server.Tests;

/// <summary>The OpenAPI document: valid OpenAPI 3.1, and every API route in it with its schemas and refusals.</summary>
public sealed class OpenApiDocumentTests(SqliteServerFactory server) : IClassFixture<SqliteServerFactory>
{
    [Fact]
    public async Task OpenApiDocument_ParsedAsOpenApi31_HasNoErrorsAndEveryRouteWithItsRefusals()
    {
        using var client = server.CreateClient();
        using var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadAsStringAsync();

        var read = OpenApiDocument.Parse(json, "json");
        Assert.Empty(read.Diagnostic!.Errors);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, read.Diagnostic.SpecificationVersion);
        var document = read.Document!;
        Assert.Empty(document.Validate(Microsoft.OpenApi.ValidationRuleSet.GetDefaultRuleSet()) ?? []);

        Assert.Equal(Routes.Select(r => r.Path).Distinct().Order(StringComparer.Ordinal), document.Paths.Keys.Where(p => p.StartsWith("/api/v1", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        foreach (var (method, path) in Routes)
        {
            Assert.True(document.Paths.TryGetValue(path, out var item), $"{path} is not in the document");
            var operation = item!.Operations!.Single(o => o.Key.Method.Equals(method, StringComparison.OrdinalIgnoreCase)).Value;
            var statuses = operation.Responses!.Keys.ToList();
            Assert.Contains("401", statuses);
            Assert.Contains("403", statuses);
            Assert.Contains("429", statuses);
            Assert.Contains(statuses, s => s.StartsWith('2'));
            if (path.Contains("{id}", StringComparison.Ordinal))
            {
                Assert.Contains("404", statuses);
            }

            if (method is "POST" or "PATCH" && !path.EndsWith("/cancel", StringComparison.Ordinal) && !path.EndsWith("/retry", StringComparison.Ordinal) &&
                !path.EndsWith("/test", StringComparison.Ordinal))
            {
                Assert.NotNull(operation.RequestBody);
            }
        }

        Assert.Contains(ApiKeyAuthenticationHandlerName, document.Components!.SecuritySchemes!.Keys);
    }

    private const string ApiKeyAuthenticationHandlerName = "ApiKey";

    /// <summary>Every route the API maps (docs/api.md lists the same).</summary>
    private static readonly (string Method, string Path)[] Routes =
    [
        ("POST", "/api/v1/posts"),
        ("POST", "/api/v1/previews"),
        ("GET", "/api/v1/publications"),
        ("GET", "/api/v1/publications/{id}"),
        ("POST", "/api/v1/publications/{id}/cancel"),
        ("POST", "/api/v1/publications/{id}/retry"),
        ("POST", "/api/v1/publications/{id}/reschedule"),
        ("POST", "/api/v1/publications/{id}/posted"),
        ("GET", "/api/v1/contents/{id}"),
        ("DELETE", "/api/v1/contents/{id}"),
        ("GET", "/api/v1/accounts"),
        ("GET", "/api/v1/accounts/{id}"),
        ("POST", "/api/v1/accounts"),
        ("PATCH", "/api/v1/accounts/{id}"),
        ("DELETE", "/api/v1/accounts/{id}"),
        ("POST", "/api/v1/accounts/{id}/test"),
        ("GET", "/api/v1/keys"),
        ("POST", "/api/v1/keys"),
        ("DELETE", "/api/v1/keys/{id}"),
        ("GET", "/api/v1/events"),
        ("POST", "/api/v1/webhooks"),
        ("GET", "/api/v1/webhooks"),
        ("GET", "/api/v1/webhooks/{id}"),
        ("DELETE", "/api/v1/webhooks/{id}"),
        ("GET", "/api/v1/webhooks/{id}/deliveries"),
    ];
}
