using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Herald.Server.Keys;

/// <summary>
/// Authenticates a request by its API key: <c>Authorization: Bearer hk_…</c> or <c>X-Api-Key: hk_…</c>. A missing,
/// unknown or revoked key is 401 (with <c>WWW-Authenticate: Bearer</c>); a key without the route's scope is 403.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyCache cache) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = Request.Headers["X-Api-Key"].FirstOrDefault();
        if (key is null && Request.Headers.Authorization.FirstOrDefault() is { } authorization &&
            authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            key = authorization["Bearer ".Length..].Trim();
        }

        if (string.IsNullOrEmpty(key))
        {
            return AuthenticateResult.NoResult();
        }

        // A key confirmed a moment ago costs no database query (nor the scope's database context).
        var authenticated = ApiKeys.HashOf(key) is { } hash && cache.Find(hash) is { } cached
            ? cached
            : await Context.RequestServices.GetRequiredService<ApiKeys>().AuthenticateAsync(key, Context.RequestAborted);
        if (authenticated is null)
        {
            // Never the key in the message: it may be a real key mistyped by one character.
            return AuthenticateResult.Fail("The API key is unknown or revoked.");
        }

        var claims = authenticated.Scopes.Select(s => new Claim(ApiScopes.ClaimType, s))
            .Append(new Claim(ApiScopes.KeyIdClaimType, authenticated.Id.ToString("N")))
            .Append(new Claim(ClaimTypes.Name, authenticated.Name));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return Problems.ProblemResults.Write(Context, StatusCodes.Status401Unauthorized, "An API key is required",
            "Send a valid API key as `Authorization: Bearer hk_…` (create one with `herald keys create`).");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.ProblemResults.Write(Context, StatusCodes.Status403Forbidden, "The API key lacks the scope",
            $"This route needs the '{Context.GetEndpoint()?.Metadata.GetMetadata<RequiredScope>()?.Scope ?? "?"}' scope; " +
            "create a key with it (`herald keys create NAME --scope write`).");
}

/// <summary>The scope a route needs, kept on the endpoint for the 403 message and the OpenAPI document.</summary>
internal sealed record RequiredScope(string Scope);
