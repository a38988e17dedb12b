using System.Text.Json;
using Herald.Sandbox.Hosting;

namespace Herald.Sandbox.LinkedIn;

/// <summary>The LinkedIn Posts API (<c>/rest/posts</c>), per docs/platforms.md, LinkedIn.</summary>
internal static class LinkedInEndpoints
{
    private const string ProtocolVersion = "2.0.0";

    public static RouteGroupBuilder MapLinkedIn(this RouteGroupBuilder group)
    {
        // OpenID Connect userinfo (no version headers: it is not a /rest resource); sub is the id in urn:li:person:{sub}.
        group.MapGet("/v2/userinfo", (HttpContext c, SandboxState s) =>
            Authenticate(c, s.LinkedIn) is { } member
                ? Results.Json(new { sub = member.AuthorUrn[(member.AuthorUrn.LastIndexOf(':') + 1)..], name = $"Sandbox member {member.AuthorUrn[(member.AuthorUrn.LastIndexOf(':') + 1)..]}", locale = new { country = "US", language = "en" } })
                : Error(401, new { serviceErrorCode = 65600, message = "Invalid access token", status = 401 }));
        var rest = group.MapGroup("/rest").AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var state = http.RequestServices.GetRequiredService<SandboxState>().LinkedIn;
            if (Authenticate(http, state) is null)
            {
                return Error(401, new { status = 401, serviceErrorCode = 65600, code = "INVALID_ACCESS_TOKEN", message = "Invalid access token" });
            }

            // Every /rest call needs both version headers (docs/platforms.md, LinkedIn, "Auth / headers").
            var version = http.Request.Headers["LinkedIn-Version"].ToString();
            if (version.Length == 0)
            {
                return Error(400, new { status = 400, code = "VERSION_MISSING", message = "A version must be present. Please specify a version by adding the LinkedIn-Version header." });
            }

            if (!state.IsActiveVersion(version))
            {
                return Error(426, new { status = 426, code = "NONEXISTENT_VERSION", message = $"Requested version {version}01 is not active" });
            }

            if (http.Request.Headers["X-Restli-Protocol-Version"].ToString() != ProtocolVersion)
            {
                return Error(400, new { status = 400, code = "INVALID_PROTOCOL_VERSION", message = "X-Restli-Protocol-Version must be 2.0.0 for this resource." });
            }

            return await next(context);
        });

        rest.MapPost("/posts", CreateAsync);
        rest.MapGet("/posts/{urn}", (HttpContext c, SandboxState s, string urn) =>
            s.LinkedIn.Find(urn) is { } post
                ? Results.Json(PostJson(post))
                : Error(404, new { status = 404, code = "NOT_FOUND", message = $"Post {urn} does not exist" }));
        return group;
    }

    private static async Task<IResult> CreateAsync(HttpContext context, SandboxState sandbox)
    {
        var state = sandbox.LinkedIn;
        var member = Authenticate(context, state)!;
        LinkedInCreateInput input;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Error(400, new { status = 400, code = "INVALID_REQUEST_BODY", message = "The request body must be a JSON object." });
            }

            input = new LinkedInCreateInput(
                Author: Text(root, "author"),
                Commentary: Text(root, "commentary"),
                Visibility: Text(root, "visibility"),
                LifecycleState: Text(root, "lifecycleState"),
                HasDistribution: root.TryGetProperty("distribution", out var distribution) && distribution.ValueKind == JsonValueKind.Object);
        }
        catch (JsonException)
        {
            return Error(400, new { status = 400, code = "INVALID_REQUEST_BODY", message = "The request body is not valid JSON." });
        }

        var result = state.Create(member, input);
        if (result.Post is not { } post)
        {
            return Error(result.Status, result.Error!);
        }

        // 201 with an empty body; the new URN is only in x-restli-id (docs/platforms.md, LinkedIn, "Response").
        context.Response.Headers["x-restli-id"] = post.Urn;
        return Results.StatusCode(201);
    }

    private static LinkedInMember? Authenticate(HttpContext context, LinkedInState state)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) ? state.FindMember(header["Bearer ".Length..].Trim()) : null;
    }

    private static object PostJson(LinkedInPost post) => new
    {
        id = post.Urn,
        author = post.Author,
        commentary = post.Commentary,
        visibility = post.Visibility,
        lifecycleState = post.LifecycleState,
        distribution = new { feedDistribution = "MAIN_FEED", targetEntities = Array.Empty<object>(), thirdPartyDistributionChannels = Array.Empty<object>() },
        createdAt = post.CreatedAt.ToUnixTimeMilliseconds(),
        publishedAt = post.CreatedAt.ToUnixTimeMilliseconds(),
    };

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IResult Error(int status, object body) => Results.Json(body, statusCode: status);
}
