using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Herald.Publications;
using Herald.Sandbox.Hosting;

namespace Herald.Chaos;

/// <summary>What happened during the soak, besides the publications: counts of the chaos injected and timings.</summary>
internal sealed record ChaosLog
{
    public int Kills { get; set; }

    public int Stops { get; set; }

    public int PostgresRestarts { get; set; }

    /// <summary>Workers that ended by themselves (not killed) and were restarted, as a supervisor would.</summary>
    public int Exits { get; set; }

    public TimeSpan SeedTime { get; set; }

    public TimeSpan? DrainTime { get; set; }

    public List<string> Events { get; } = [];
}

/// <summary>
/// Compares Herald's database with the sandbox's own posts. Lost: Published in the database but not on the
/// platform, or ended in a status nothing explains. Duplicated: the same text twice on a platform, a content
/// with two top-level posts, or a thread part posted twice. Out of order: a reply chain whose paragraph markers
/// do not rise, or that has a branch. Stuck: still Scheduled, RetryScheduled or Publishing after the drain.
/// </summary>
internal static partial class ChaosReport
{
    private static readonly PublicationStatus[] Pending = [PublicationStatus.Scheduled, PublicationStatus.RetryScheduled, PublicationStatus.Publishing];

    public sealed record Result(string Markdown, int Lost, int Duplicated, int OutOfOrder, int Stuck);

    public static Result Build(
        ChaosOptions options,
        ChaosLog log,
        IReadOnlyList<Publication> publications,
        IReadOnlyDictionary<ContentId, (int Index, bool Thread)> contents,
        IReadOnlyList<SandboxPost> posts,
        IReadOnlyDictionary<int, int> sandboxStatuses,
        string database)
    {
        var byPlatformContent = new Dictionary<(string Platform, int Index), List<SandboxPost>>();
        foreach (var post in posts)
        {
            foreach (var index in ContentMarkers(post.Text))
            {
                var key = (post.Platform, index);
                if (!byPlatformContent.TryGetValue(key, out var list))
                {
                    byPlatformContent[key] = list = [];
                }

                list.Add(post);
            }
        }

        var byId = posts.GroupBy(p => (p.Platform, p.Id)).ToDictionary(g => g.Key, g => g.First());
        var children = posts.Where(p => p.ReplyToId is not null).GroupBy(p => (p.Platform, p.ReplyToId!)).ToDictionary(g => g.Key, g => g.ToList());

        var lost = new List<string>();
        var stuck = new List<string>();
        var duplicated = new List<string>();
        var outOfOrder = new List<string>();
        var failedButPosted = 0;
        var reviewPosted = 0;
        foreach (var publication in publications)
        {
            if (!contents.TryGetValue(publication.ContentId, out var content))
            {
                continue;
            }

            var marker = Seeder.Marker(content.Index);
            var mine = byPlatformContent.GetValueOrDefault((publication.Platform, content.Index)) ?? [];
            var describe = $"{publication.Platform} {marker} ({publication.Id}, {publication.Status})";
            if (Pending.Contains(publication.Status))
            {
                stuck.Add(describe);
            }
            else if (publication.Status == PublicationStatus.Published && mine.Count == 0)
            {
                lost.Add(describe + ": Published, but the platform has no post of it");
            }
            else if (publication.Status is PublicationStatus.Cancelled or PublicationStatus.AwaitingManualAction)
            {
                lost.Add(describe + ": a status nothing in the soak asks for");
            }
            else if (publication.Status == PublicationStatus.Failed && mine.Count > 0)
            {
                failedButPosted++;
            }
            else if (publication.Status == PublicationStatus.NeedsReview && mine.Count > 0)
            {
                reviewPosted++;
            }

            // Duplicates: identical texts, two roots, or one paragraph marker in two posts.
            var roots = mine.Where(p => p.ReplyToId is null).ToList();
            var sameText = mine.GroupBy(p => p.Text, StringComparer.Ordinal).Count(g => g.Count() > 1);
            var partCopies = mine.SelectMany(p => PartMarkers(p.Text).Where(m => m.Index == content.Index).Select(m => m.Part).Distinct())
                .GroupBy(part => part).Count(g => g.Count() > 1);
            if (roots.Count > 1 || sameText > 0 || partCopies > 0)
            {
                duplicated.Add($"{describe}: {mine.Count} posts, {roots.Count} top-level, {sameText} texts twice, {partCopies} parts twice");
            }

            // Order: walk every root's reply chain; the paragraph markers must rise, and no node may branch.
            if (content.Thread && publication.Platform != "medium")
            {
                foreach (var root in roots)
                {
                    var (ordered, branched, chain) = Walk(root, children);
                    if (!ordered || branched)
                    {
                        outOfOrder.Add($"{describe}: {(branched ? "the chain branches" : "markers out of order")} over {chain} posts");
                    }
                }

                var orphans = mine.Where(p => p.ReplyToId is not null && byId.TryGetValue((p.Platform, p.ReplyToId), out var parent) &&
                    !ContentMarkers(parent.Text).Contains(content.Index)).ToList();
                if (orphans.Count > 0)
                {
                    outOfOrder.Add($"{describe}: {orphans.Count} parts answer another content's post");
                }

                if (publication.Status == PublicationStatus.Published && roots.Count == 1)
                {
                    var seen = mine.SelectMany(p => PartMarkers(p.Text)).Where(m => m.Index == content.Index).Select(m => m.Part).ToHashSet();
                    if (seen.Count < Seeder.Paragraphs)
                    {
                        lost.Add($"{describe}: Published, but only paragraphs {string.Join(',', seen.Order())} of {Seeder.Paragraphs} are on the platform");
                    }
                }
            }
        }

        var markdown = Render(options, log, publications, contents, posts, sandboxStatuses, database, lost, stuck, duplicated, outOfOrder, failedButPosted, reviewPosted);
        return new Result(markdown, lost.Count, duplicated.Count, outOfOrder.Count, stuck.Count);
    }

    private static (bool Ordered, bool Branched, int Length) Walk(SandboxPost root, Dictionary<(string, string), List<SandboxPost>> children)
    {
        var last = 0;
        var ordered = true;
        var branched = false;
        var length = 0;
        var node = root;
        var visited = new HashSet<string>();
        while (node is not null && visited.Add(node.Id))
        {
            length++;
            foreach (var part in PartMarkers(node.Text).Select(m => m.Part))
            {
                ordered &= part > last;
                last = Math.Max(last, part);
            }

            var next = children.GetValueOrDefault((node.Platform, node.Id)) ?? [];
            branched |= next.Count > 1;
            node = next.OrderBy(p => p.CreatedAt).FirstOrDefault();
        }

        return (ordered, branched, length);
    }

    private static HashSet<int> ContentMarkers(string text) =>
        [.. ContentMarker().Matches(text).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];

    private static IEnumerable<(int Index, int Part)> PartMarkers(string text) =>
        PartMarker().Matches(text).Select(m => (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)));

    [GeneratedRegex(@"\bc(\d{6})\b")]
    private static partial Regex ContentMarker();

    [GeneratedRegex(@"\bc(\d{6})-p(\d+)\b")]
    private static partial Regex PartMarker();

    private static string Render(
        ChaosOptions options, ChaosLog log, IReadOnlyList<Publication> publications, IReadOnlyDictionary<ContentId, (int Index, bool Thread)> contents,
        IReadOnlyList<SandboxPost> posts, IReadOnlyDictionary<int, int> sandboxStatuses, string database,
        List<string> lost, List<string> stuck, List<string> duplicated, List<string> outOfOrder, int failedButPosted, int reviewPosted)
    {
        var ic = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        var threads = publications.Count(p => p.Platform != "medium" && contents.TryGetValue(p.ContentId, out var c) && c.Thread);
        md.AppendLine(ic, $"# Chaos soak report{(options.Quick ? " (--quick)" : "")}{(options.Calm ? " (--calm: sandbox faults only)" : "")}");
        md.AppendLine();
        md.AppendLine(ic, $"Run {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC, seed {options.Seed}, database `{database}`.");
        md.AppendLine();
        md.AppendLine("| Result | Count |");
        md.AppendLine("|---|---:|");
        md.AppendLine(ic, $"| Publications | {publications.Count:N0} ({threads:N0} multi-part threads) over {string.Join(", ", Seeder.Platforms)} |");
        md.AppendLine(ic, $"| **Lost** | **{lost.Count}** |");
        md.AppendLine(ic, $"| **Duplicated** | **{duplicated.Count}** |");
        md.AppendLine(ic, $"| **Out-of-order threads** | **{outOfOrder.Count}** |");
        md.AppendLine(ic, $"| **Stuck after drain** | **{stuck.Count}** |");
        md.AppendLine(ic, $"| Time to drain (from the first worker's start) | {(log.DrainTime is { } d ? d.ToString(@"hh\:mm\:ss", ic) : "did not drain within " + options.DrainTimeout)} |");
        md.AppendLine(ic, $"| Seeding through the scheduler | {log.SeedTime:hh\\:mm\\:ss} |");
        md.AppendLine(ic, $"| SIGKILL / SIGSTOP (≥ lease) / PostgreSQL restarts | {log.Kills} / {log.Stops} / {log.PostgresRestarts} |");
        md.AppendLine(ic, $"| Workers that exited by themselves (restarted) | {log.Exits} |");
        md.AppendLine(ic, $"| Posts on the sandbox | {posts.Count:N0} |");
        md.AppendLine();
        md.AppendLine("## Final statuses");
        md.AppendLine();
        md.AppendLine("| Platform | " + string.Join(" | ", Enum.GetNames<PublicationStatus>()) + " |");
        md.AppendLine("|---|" + string.Concat(Enum.GetNames<PublicationStatus>().Select(_ => "---:|")));
        foreach (var platform in Seeder.Platforms)
        {
            var mine = publications.Where(p => p.Platform == platform).ToList();
            md.AppendLine("| " + platform + " | " + string.Join(" | ", Enum.GetValues<PublicationStatus>().Select(s => mine.Count(p => p.Status == s).ToString(ic))) + " |");
        }

        md.AppendLine();
        md.AppendLine(ic, $"Failed, yet the post is on the platform: {failedButPosted}. NeedsReview, and the post is on the platform: {reviewPosted}.");
        md.AppendLine();
        Reasons(md, "NeedsReview reasons", publications.Where(p => p.Status == PublicationStatus.NeedsReview));
        Reasons(md, "Failed reasons", publications.Where(p => p.Status == PublicationStatus.Failed));
        md.AppendLine("## Sandbox answers (platform endpoints, by status)");
        md.AppendLine();
        md.AppendLine(string.Join(", ", sandboxStatuses.OrderBy(s => s.Key).Select(s => string.Create(ic, $"{s.Key}: {s.Value:N0}"))));
        md.AppendLine();
        List(md, "Lost", lost);
        List(md, "Duplicated", duplicated);
        List(md, "Out-of-order threads", outOfOrder);
        List(md, "Stuck", stuck);
        md.AppendLine("## Settings");
        md.AppendLine();
        md.AppendLine(ic, $"- {options.Workers} `herald work` processes; lease {options.LeaseDuration}, attempt timeout {options.AttemptTimeout}; worker {options.Workers} under libfaketime `{(string.IsNullOrEmpty(options.Skew) ? "none" : options.Skew)}`.");
        md.AppendLine(ic, $"- Sandbox `--no-rate-limits`, faults: 503 before commit {options.ServerErrorRate:P0}, 502/504 after commit {options.ServerErrorAfterCommitRate:P0}, 429 {options.RateLimitRate:P0}, drop after accept {options.DropAfterAcceptRate:P0}, slow after commit {options.SlowAfterCommitRate:P0} ({options.SlowAfterCommitDelay.TotalSeconds:0} s).");
        md.AppendLine(options.Calm
            ? string.Create(ic, $"- Due times spread over {options.Spread}; no SIGKILL, SIGSTOP, PostgreSQL restart or skew (--calm).")
            : string.Create(ic, $"- Due times spread over {options.Spread}; SIGKILL every {options.KillMin.TotalSeconds:0}–{options.KillMax.TotalSeconds:0} s of a worker up ≥ {options.MinUptime.TotalSeconds:0} s; SIGSTOP for lease + 10 s; PostgreSQL restart at {options.PostgresRestartAt}."));
        md.AppendLine();
        md.AppendLine("## Events");
        md.AppendLine();
        md.AppendLine("```text");
        foreach (var line in log.Events)
        {
            md.AppendLine(line);
        }

        md.AppendLine("```");
        return md.ToString();
    }

    private static void Reasons(StringBuilder md, string title, IEnumerable<Publication> publications)
    {
        var groups = publications.GroupBy(p => (p.Platform, Reason: Normalize(p.LastError))).OrderByDescending(g => g.Count()).ToList();
        md.AppendLine(CultureInfo.InvariantCulture, $"## {title}");
        md.AppendLine();
        if (groups.Count == 0)
        {
            md.AppendLine("None.");
            md.AppendLine();
            return;
        }

        md.AppendLine("| Count | Platform | Reason (ids and numbers replaced by #) |");
        md.AppendLine("|---:|---|---|");
        foreach (var group in groups)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {group.Count()} | {group.Key.Platform} | {group.Key.Reason.Replace("|", "\\|", StringComparison.Ordinal)} |");
        }

        md.AppendLine();
    }

    private static string Normalize(string? reason)
    {
        var text = Digits().Replace((reason ?? "(no reason)").ReplaceLineEndings(" "), "#");
        return text.Length > 160 ? text[..160] + "…" : text;
    }

    [GeneratedRegex(@"[0-9a-f]{8,}|\d+")]
    private static partial Regex Digits();

    private static void List(StringBuilder md, string title, List<string> items)
    {
        md.AppendLine(CultureInfo.InvariantCulture, $"## {title} ({items.Count})");
        md.AppendLine();
        if (items.Count == 0)
        {
            md.AppendLine("None.");
        }

        foreach (var item in items.Take(50))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- {item}");
        }

        if (items.Count > 50)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- … and {items.Count - 50} more");
        }

        md.AppendLine();
    }
}
