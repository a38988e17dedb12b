using System.Globalization;

namespace Herald.Platforms.Threads;

/// <summary>
/// What Herald learns from the account's own posts (<c>GET /{user}/threads</c>, docs/platforms.md, Threads): whether a
/// post with a given text is already there, and when a full publishing quota frees up.
/// </summary>
internal sealed class ThreadsOwnPosts(ThreadsApi api, TimeProvider timeProvider)
{
    /// <summary>Pages read at most per search: 1,000 posts, far more than an account publishes in the windows searched.</summary>
    public const int MaxPages = 10;

    /// <summary>
    /// Looks for the newest own post with exactly <paramref name="text"/> published at or after
    /// <paramref name="since"/>, other than the posts in <paramref name="exclude"/>.
    /// </summary>
    public async Task<OwnPostSearch> FindAsync(string text, DateTimeOffset? since, IReadOnlyCollection<string> exclude, string? watchFor, CancellationToken cancellationToken)
    {
        var wanted = Normalize(text);
        var sawWatched = false;
        string? after = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var answer = await api.OwnPostsAsync(since, after, cancellationToken);
            if (answer.Value is not { Data: { } posts } listing)
            {
                return new OwnPostSearch(null, Complete: false, sawWatched, $"the account's posts could not be listed: {answer.Failure?.Error}");
            }

            sawWatched |= watchFor is not null && posts.Any(p => p.Id == watchFor);
            var match = posts.FirstOrDefault(p =>
                p.Id is { Length: > 0 } id && !exclude.Contains(id) && p.Text is not null && Normalize(p.Text) == wanted);
            if (match is not null)
            {
                return new OwnPostSearch(match, Complete: true, sawWatched, null);
            }

            after = listing.Paging?.Cursors?.After;
            if (listing.Paging?.Next is null || after is null)
            {
                return new OwnPostSearch(null, Complete: true, sawWatched, null);
            }
        }

        return new OwnPostSearch(null, Complete: false, sawWatched, null);
    }

    /// <summary>
    /// Looks among the direct replies to <paramref name="parentId"/> for the account's own reply with exactly
    /// <paramref name="text"/>, other than the posts in <paramref name="exclude"/>. Every reply read means a miss is
    /// definitive: a reply to that post is listed there whatever the account's own listing holds.
    /// </summary>
    public async Task<OwnPostSearch> FindReplyAsync(string parentId, string text, IReadOnlyCollection<string> exclude, CancellationToken cancellationToken)
    {
        var wanted = Normalize(text);
        string? after = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var answer = await api.RepliesAsync(parentId, after, cancellationToken);
            if (answer.Value is not { Data: { } replies } listing)
            {
                return new OwnPostSearch(null, Complete: false, SawWatched: false, $"the replies to {parentId} could not be listed: {answer.Failure?.Error}");
            }

            var match = replies.FirstOrDefault(p =>
                p.Id is { Length: > 0 } id && !exclude.Contains(id) && p.IsReplyOwnedByMe == true && p.Text is not null && Normalize(p.Text) == wanted);
            if (match is not null)
            {
                return new OwnPostSearch(match, Complete: true, SawWatched: true, null);
            }

            after = listing.Paging?.Cursors?.After;
            if (listing.Paging?.Next is null || after is null)
            {
                return new OwnPostSearch(null, Complete: true, SawWatched: true, null);
            }
        }

        return new OwnPostSearch(null, Complete: false, SawWatched: true, null);
    }

    /// <summary>
    /// Reads <c>threads_publishing_limit</c> (docs/platforms.md, Threads: 250 posts and 1,000 replies per rolling 24 h) and,
    /// when the quota the next post needs is used up, answers RateLimited until it frees up. Null when there is
    /// room, or when the limit cannot be read (then <c>threads_publish</c> itself will say).
    /// </summary>
    public async Task<PublishOutcome?> UsedUpQuotaAsync(bool forReply, CancellationToken cancellationToken)
    {
        var answer = await api.PublishingLimitAsync(cancellationToken);
        if (answer.Value?.Data is not [var limit, ..])
        {
            return null;
        }

        var (used, config) = forReply ? (limit.ReplyQuotaUsage, limit.ReplyConfig) : (limit.QuotaUsage, limit.Config);
        if (used is not { } usage || config?.QuotaTotal is not { } total || usage < total)
        {
            return null;
        }

        var window = TimeSpan.FromSeconds(config.QuotaDuration is > 0 and var seconds ? seconds : 86_400);
        var now = timeProvider.GetUtcNow();
        var freeAt = await FreeAtAsync(usage - total, window, now, cancellationToken);
        var what = forReply ? "replies" : "posts";
        return PublishOutcome.RateLimited(
            string.Create(
                CultureInfo.InvariantCulture,
                $"Threads publishing limit reached: {usage} of {total} {what} in the last {window.TotalHours:0.#} hours; it frees up at {freeAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC."),
            freeAt > now ? freeAt - now : TimeSpan.Zero,
            httpStatus: null);
    }

    /// <summary>
    /// The quota is rolling: it frees up when the <paramref name="over"/>-th oldest post of the window (counting
    /// from 0) turns <paramref name="window"/> old. The listing does not tell posts from replies, so when it holds
    /// both the answer can come early, and the next try asks again; when the listing cannot say, a whole window.
    /// </summary>
    private async Task<DateTimeOffset> FreeAtAsync(int over, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var times = new List<DateTimeOffset>();
        string? after = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var answer = await api.OwnPostsAsync(now - window, after, cancellationToken);
            if (answer.Value is not { Data: { } posts } listing)
            {
                return now + window;
            }

            times.AddRange(posts.Select(p => p.PublishedAt).OfType<DateTimeOffset>());
            after = listing.Paging?.Cursors?.After;
            if (listing.Paging?.Next is null || after is null)
            {
                break;
            }
        }

        times.Sort();
        return over < times.Count ? times[over] + window : now + window;
    }

    /// <summary>Threads keeps the text as sent; line endings and outer whitespace are not worth a duplicate.</summary>
    private static string Normalize(string text) => text.ReplaceLineEndings("\n").Trim();
}

/// <summary>What a search of the own posts found.</summary>
/// <param name="Match">The newest post with the text, if any.</param>
/// <param name="Complete">Every post in the window was seen (or a match was found).</param>
/// <param name="SawWatched">The post the caller watched for was among those seen.</param>
/// <param name="Problem">Why the listing could not be read; null when it could.</param>
internal sealed record OwnPostSearch(ThreadsMedia? Match, bool Complete, bool SawWatched, string? Problem);
