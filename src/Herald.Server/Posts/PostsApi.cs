using Herald.Server.Hosting;
using Herald.Server.Keys;
using Herald.Server.Problems;
using Herald.Server.Publications;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Herald.Server.Posts;

/// <summary><c>POST /api/v1/posts</c>: the everyday call — content, targets, and optionally a time. The work is <see cref="PostService"/>'s.</summary>
internal static class PostsApi
{
    public static RouteGroupBuilder MapPostsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/posts", PostAsync).WithTags("Posts").RequireScope(ApiScopes.Write)
            .WithSummary("Publishes content to targets now or at a time; with dryRun, returns the exact payloads instead.")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPost("/previews", PreviewAsync).WithTags("Posts").RequireScope(ApiScopes.Read)
            .WithSummary("Per target: the exact payload, its parts counted against the platform's limits, facets, and what would be refused and why.")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        return api;
    }

    private static async Task<Results<Ok<PreviewResponse>, ProblemHttpResult>> PreviewAsync(
        PostRequest request, PostService posts, CancellationToken cancellationToken)
    {
        var result = await posts.PreviewAsync(request, cancellationToken);
        return result.Preview is { } preview ? TypedResults.Ok(preview) : ProblemResults.Invalid(result.Problems);
    }

    private static async Task<Results<Created<PostResponse>, Ok<DryRunResponse>, ProblemHttpResult>> PostAsync(
        PostRequest request, PostService posts, PostLinks links, CancellationToken cancellationToken)
    {
        var result = await posts.PostAsync(request, "API", cancellationToken);
        if (result.Problems.Count > 0 || result.Content is not { } content)
        {
            return ProblemResults.Invalid(result.Problems);
        }

        if (result.DryRun is { } payloads)
        {
            return TypedResults.Ok(new DryRunResponse(payloads));
        }

        return TypedResults.Created(
            $"/api/v1/contents/{content.Id}",
            new PostResponse(ContentResponse.From(content), [.. result.Publications.Select(p => PublicationResponse.From(p, links))]));
    }
}
