using Herald.Server.Hosting;
using Herald.Server.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Herald.Server.Keys;

/// <summary><c>/api/v1/keys</c> (admin): create (the key is shown once), list and revoke API keys.</summary>
internal static class KeysApi
{
    /// <summary>The body of <c>POST /keys</c>.</summary>
    public sealed record CreateKeyRequest(string? Name, IReadOnlyList<string>? Scopes);

    /// <summary>A created key: <see cref="Key"/> appears in this answer only.</summary>
    public sealed record CreatedKeyResponse(ApiKeyInfo Info, string Key);

    public static RouteGroupBuilder MapKeysApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/keys").WithTags("API keys");
        group.MapGet("/", (ApiKeys keys, CancellationToken ct) => keys.ListAsync(ct)).RequireScope(ApiScopes.Admin)
            .WithSummary("Lists API keys (never the keys themselves).");
        group.MapPost("/", CreateAsync).RequireScope(ApiScopes.Admin)
            .WithSummary("Creates an API key; the key is in this answer only.")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapDelete("/{id}", async Task<Results<Ok<ApiKeyInfo>, ProblemHttpResult>> (string id, ApiKeys keys, CancellationToken ct) =>
                await keys.RevokeAsync(id, ct) is { } revoked ? TypedResults.Ok(revoked) : ProblemResults.NotFound("API key", id))
            .RequireScope(ApiScopes.Admin).WithSummary("Revokes an API key: at once on this server, within ApiKeyCacheDuration (5 s) on other API nodes.");
        return api;
    }

    private static async Task<Results<Created<CreatedKeyResponse>, ProblemHttpResult>> CreateAsync(
        CreateKeyRequest request, ApiKeys keys, CancellationToken cancellationToken)
    {
        try
        {
            var created = await keys.CreateAsync(request.Name ?? "", request.Scopes ?? [], cancellationToken);
            return TypedResults.Created($"/api/v1/keys/{created.Info.Id:N}", new CreatedKeyResponse(created.Info, created.Key));
        }
        catch (ApiKeyInputException ex)
        {
            return ProblemResults.Invalid(ex.Field, ex.Rule);
        }
    }
}
