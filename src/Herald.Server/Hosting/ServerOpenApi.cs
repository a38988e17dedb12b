using Herald.Server.Keys;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Herald.Server.Hosting;

/// <summary>The OpenAPI 3.1 document at <c>/openapi/v1.json</c>: the API-key scheme, and which scope each route needs.</summary>
internal static class ServerOpenApi
{
    public static void Configure(OpenApiOptions options)
    {
        options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Herald API",
                Version = "v1",
                Description = "Publish Markdown to Dev.to, LinkedIn, X, Threads, Medium, Mastodon and Bluesky, now or at a time. " +
                    "Every route needs an API key (`Authorization: Bearer hk_…`); errors are RFC 9457 problem details.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[ApiKeyAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key (hk_…) from `herald keys create`.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<RequiredScope>().FirstOrDefault() is { } scope)
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement
                {
                    [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, context.Document)] = [scope.Scope],
                });
                // The refusals every keyed route can answer with, each as problem details.
                operation.Responses ??= [];
                AddProblem(operation, StatusCodes.Status401Unauthorized, "No API key, or an unknown or revoked one.");
                AddProblem(operation, StatusCodes.Status403Forbidden, $"The API key lacks the '{scope.Scope}' scope.");
                AddProblem(operation, StatusCodes.Status429TooManyRequests, "This API key's request budget is spent; see Retry-After.");
            }

            if (context.Description.RelativePath?.Contains("{id}", StringComparison.Ordinal) == true)
            {
                operation.Responses ??= [];
                AddProblem(operation, StatusCodes.Status404NotFound, "There is nothing with this id.");
            }

            return Task.CompletedTask;
        });
    }

    private static void AddProblem(OpenApiOperation operation, int status, string description) =>
        operation.Responses!.TryAdd(status.ToString(System.Globalization.CultureInfo.InvariantCulture), new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() },
        });
}
