using Herald.Contents;
using Herald.Platforms;
using Herald.Platforms.Media;
using Herald.Publications;
using Herald.Scheduling;
using Herald.Server.Hosting;
using Herald.Storage.Accounts;

namespace Herald.Server.Posts;

/// <summary>What a preview found: the problems that stop it (then <see cref="Preview"/> is null), or each target's preview.</summary>
public sealed record PostPreviewResult(IReadOnlyList<(string Field, string Message)> Problems, PreviewResponse? Preview);

/// <summary>
/// What a post did: the problems that refused it (nothing stored), the payloads of a dry run, or the content stored
/// with one publication per target.
/// </summary>
public sealed record PostResult(
    IReadOnlyList<(string Field, string Message)> Problems, Content? Content, IReadOnlyList<Publication> Publications, IReadOnlyList<PayloadPreview>? DryRun);

/// <summary>
/// Posting and previewing a <see cref="PostRequest"/>: reading the content and the time, resolving the targets,
/// every platform's rules, rendering, and scheduling. <c>POST /api/v1/posts</c>, <c>POST /api/v1/previews</c> and
/// the dashboard's Compose page all go through it, so their rules and answers are the same.
/// </summary>
public sealed class PostService(
    AccountDirectory directory,
    PlatformRegistry registry,
    IPublicationScheduler scheduler,
    ContentLimits limits,
    TimeProvider clock,
    ImagePreviewer images,
    ILogger<PostService> logger)
{
    /// <summary>Like a dry run, but a target whose rules the content breaks is shown with its problems instead of refusing the request.</summary>
    public async Task<PostPreviewResult> PreviewAsync(PostRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new List<(string Field, string Message)>();
        var content = PostContentReader.Read(request, clock.GetUtcNow(), limits, problems);
        var targets = await TargetsAsync(request, problems, cancellationToken);
        if (problems.Count > 0 || content is null)
        {
            return new PostPreviewResult(problems, null);
        }

        return new PostPreviewResult([], new PreviewResponse([.. targets.Select(t =>
        {
            var adapter = registry.Resolve(t.Account.Platform);
            var problems = adapter.Validate(content, t.Account);
            var refused = problems.Select(p => $"{p.Field}: {p.Message}").ToList();
            PayloadPreview? payload = null;
            if (refused.Count == 0)
            {
                // Only content that passed the platform's rules is rendered: a renderer may rely on them.
                payload = PayloadPreview.From(t.Account.Id.ToString(), t.Account.DisplayName, t.Account.Platform, adapter.Render(content, t.Account));
            }

            // Nothing is read or fetched here: an image's bytes are read when the content is scheduled.
            return new TargetPreview(t.Account.Platform, t.Account.Id.ToString(), payload, refused)
            {
                Images = images.Describe(adapter, content, t.Account, problems),
            };
        })]));
    }

    /// <summary>Stores the content and schedules one publication per target, or (dry run) renders the payloads; refused whole with every problem.</summary>
    public async Task<PostResult> PostAsync(PostRequest request, string channel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new List<(string Field, string Message)>();
        var content = PostContentReader.Read(request, clock.GetUtcNow(), limits, problems);
        var when = ScheduleInput.Read(request.At, request.TimeZone, clock, problems);
        var targets = await TargetsAsync(request, problems, cancellationToken);
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
            return new PostResult(problems, null, [], null);
        }

        if (request.DryRun)
        {
            return new PostResult([], content, [], [.. targets.Select(t => PayloadPreview.From(
                t.Account.Id.ToString(), t.Account.DisplayName, t.Account.Platform, registry.Resolve(t.Account.Platform).Render(content, t.Account)))]);
        }

        var publications = await scheduler.ScheduleAsync(
            content, [.. targets.Select(t => t.Account)], when.Value, new ScheduleOptions { Again = request.Again }, cancellationToken);
        ServerLog.Posted(logger, content.Id.ToString(), channel, publications.Count, when.Value.Utc);
        return new PostResult([], content, publications, null);
    }

    private async Task<List<(int Index, Herald.Accounts.Account Account)>> TargetsAsync(
        PostRequest request, List<(string Field, string Message)> problems, CancellationToken cancellationToken)
    {
        if (request.Targets is not { Count: > 0 })
        {
            problems.Add(("targets", "name at least one target: a platform id, an account id, or all"));
            return [];
        }

        return await directory.ResolveTargetsAsync(request.Targets, problems, cancellationToken);
    }
}
