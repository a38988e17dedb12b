using Herald.Contents;
using Herald.Formatting;
using Herald.Platforms;
using Herald.Scheduling;
using Herald.Server.Hosting;
using Herald.Server.Keys;
using Herald.Server.Problems;
using Herald.Server.Publications;
using Herald.Storage.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Herald.Server.Posts;

/// <summary><c>POST /api/v1/posts</c>: the everyday call — content, targets, and optionally a time.</summary>
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

    /// <summary>Like a dry run, but a target whose rules the content breaks is shown with its problems instead of refusing the request.</summary>
    private static async Task<Results<Ok<PreviewResponse>, ProblemHttpResult>> PreviewAsync(
        PostRequest request, AccountDirectory directory, PlatformRegistry registry, ContentLimits limits, TimeProvider clock, CancellationToken cancellationToken)
    {
        var problems = new List<(string Field, string Message)>();
        var content = ReadContent(request, clock.GetUtcNow(), limits, problems);
        var targets = request.Targets is { Count: > 0 }
            ? await directory.ResolveTargetsAsync(request.Targets, problems, cancellationToken)
            : [];
        if (request.Targets is not { Count: > 0 })
        {
            problems.Add(("targets", "name at least one target: a platform id, an account id, or all"));
        }

        if (problems.Count > 0 || content is null)
        {
            return ProblemResults.Invalid(problems);
        }

        return TypedResults.Ok(new PreviewResponse([.. targets.Select(t =>
        {
            var adapter = registry.Resolve(t.Account.Platform);
            var refused = adapter.Validate(content, t.Account).Select(p => $"{p.Field}: {p.Message}").ToList();
            PayloadPreview? payload = null;
            if (refused.Count == 0)
            {
                // Only content that passed the platform's rules is rendered: a renderer may rely on them.
                payload = PayloadPreview.From(t.Account.Id.ToString(), t.Account.DisplayName, t.Account.Platform, adapter.Render(content, t.Account));
            }

            return new TargetPreview(t.Account.Platform, t.Account.Id.ToString(), payload, refused);
        })]));
    }

    private static async Task<Results<Created<PostResponse>, Ok<DryRunResponse>, ProblemHttpResult>> PostAsync(
        PostRequest request,
        AccountDirectory directory,
        PlatformRegistry registry,
        IPublicationScheduler scheduler,
        ContentLimits limits,
        TimeProvider clock,
        ILogger<PostRequest> logger,
        CancellationToken cancellationToken)
    {
        var problems = new List<(string Field, string Message)>();
        var content = ReadContent(request, clock.GetUtcNow(), limits, problems);
        var when = ScheduleInput.Read(request.At, request.TimeZone, clock, problems);
        var targets = request.Targets is { Count: > 0 }
            ? await directory.ResolveTargetsAsync(request.Targets, problems, cancellationToken)
            : [];
        if (request.Targets is not { Count: > 0 })
        {
            problems.Add(("targets", "name at least one target: a platform id, an account id, or all"));
        }

        if (content is not null)
        {
            // Every target's rules at once, each problem under the target that breaks it.
            foreach (var (index, account) in targets)
            {
                if (registry.TryResolve(account.Platform, out var adapter))
                {
                    problems.AddRange(adapter.Validate(content, account).Select(p => ($"targets[{index}].{p.Field}", p.Message)));
                }
            }
        }

        if (problems.Count > 0 || content is null || when is null)
        {
            return ProblemResults.Invalid(problems);
        }

        if (request.DryRun)
        {
            return TypedResults.Ok(new DryRunResponse([.. targets.Select(t => PayloadPreview.From(
                t.Account.Id.ToString(), t.Account.DisplayName, t.Account.Platform, registry.Resolve(t.Account.Platform).Render(content, t.Account)))]));
        }

        var publications = await scheduler.ScheduleAsync(
            content, [.. targets.Select(t => t.Account)], when.Value, new ScheduleOptions { Again = request.Again }, cancellationToken);
        ServerLog.Posted(logger, content.Id.ToString(), publications.Count, when.Value.Utc);
        return TypedResults.Created(
            $"/api/v1/contents/{content.Id}",
            new PostResponse(ContentResponse.From(content), [.. publications.Select(PublicationResponse.From)]));
    }

    /// <summary>The content from Markdown with front matter, or from the fields; null (with the problems) when it cannot be read.</summary>
    private static Content? ReadContent(PostRequest request, DateTimeOffset now, ContentLimits limits, List<(string, string)> problems)
    {
        if (request.Markdown is not null)
        {
            if (request.Body is not null || request.Title is not null)
            {
                problems.Add(("markdown", "give either markdown (with front matter) or title and body, not both"));
                return null;
            }

            try
            {
                return MarkdownDocument.Parse(request.Markdown, now, limits);
            }
            catch (Herald.Validation.ContentValidationException ex)
            {
                problems.AddRange(ex.Problems.Select(p => (p.Field == "file" ? "markdown" : p.Field, p.Message)));
                return null;
            }
        }

        var before = problems.Count;
        if (string.IsNullOrWhiteSpace(request.Body))
        {
            problems.Add(("body", "is required (or give markdown with front matter)"));
        }

        var type = string.IsNullOrWhiteSpace(request.Title) ? ContentType.Post : ContentType.Article;
        if (request.Type is not null && !Enum.TryParse(request.Type, ignoreCase: true, out type))
        {
            problems.Add(("type", $"must be article or post, not '{request.Type}'"));
        }

        if (type == ContentType.Article && string.IsNullOrWhiteSpace(request.Title))
        {
            problems.Add(("title", "is required for an article (or set type to post)"));
        }

        var canonical = ReadUrl(request.CanonicalUrl, "canonicalUrl", problems);
        var cover = ReadUrl(request.CoverImage, "coverImage", problems);
        if (problems.Count > before)
        {
            return null;
        }

        var content = new Content
        {
            Type = type,
            Title = request.Title?.Trim() ?? "",
            Body = request.Body!,
            Description = request.Description,
            Tags = request.Tags ?? [],
            CanonicalUrl = canonical,
            CoverImage = cover,
            Series = request.Series,
            Language = request.Language,
            Author = request.Author,
            Thread = request.Thread ?? false,
            NumberThreadParts = request.ThreadNumbering ?? true,
            Overrides = request.Overrides?.ToDictionary(
                o => o.Key, o => (IReadOnlyDictionary<string, string>)o.Value, StringComparer.OrdinalIgnoreCase)
                ?? new Dictionary<string, IReadOnlyDictionary<string, string>>(),
            CreatedAt = now,
        };
        var rules = ContentRules.Validate(content, limits);
        problems.AddRange(rules.Select(p => (p.Field, p.Message)));
        return rules.Count > 0 ? null : content;
    }

    private static Uri? ReadUrl(string? text, string field, List<(string, string)> problems)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "https" or "http")
        {
            return url;
        }

        problems.Add((field, "must be an absolute http(s) URL"));
        return null;
    }
}
