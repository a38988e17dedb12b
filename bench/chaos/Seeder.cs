using System.Globalization;
using Herald.Accounts;
using Herald.Contents;
using Herald.Sandbox;
using Herald.Scheduling;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Chaos;

/// <summary>
/// Stores the soak's publications through Herald's public scheduling API (no CLI calls): one content per
/// five publications, each to Mastodon, Bluesky, X, Threads and Medium on accounts that point at the sandbox.
/// Every content carries a marker (<c>c000042</c>) in its title, description and at the start of every
/// paragraph (<c>c000042-p3</c>), so the report finds each post, each thread part and each copy by its text.
/// </summary>
internal static class Seeder
{
    public static readonly string[] Platforms = ["mastodon", "bluesky", "x", "threads", "medium"];

    /// <summary>Paragraphs per content; a thread on a short-form platform comes to 2–4 parts.</summary>
    public const int Paragraphs = 6;

    public static string Marker(int index) => "c" + index.ToString("D6", CultureInfo.InvariantCulture);

    public static Uri PlatformBaseUrl(Uri sandbox, string platform) => platform switch
    {
        "x" => new Uri(sandbox, "x"),
        "medium" => new Uri(sandbox, "medium/v1"),
        "mastodon" => new Uri(sandbox, "mastodon"),
        "bluesky" => new Uri(sandbox, "bluesky"),
        "threads" => new Uri(sandbox, "threads/v1.0"),
        _ => throw new ArgumentException($"platform: the soak does not use '{platform}'", nameof(platform)),
    };

    public static IReadOnlyList<Account> Accounts(Uri sandbox) =>
    [
        Account("mastodon", sandbox, new() { ["access_token"] = SandboxAccounts.MastodonToken }),
        Account("bluesky", sandbox, new() { ["identifier"] = SandboxAccounts.BlueskyHandle, ["app_password"] = SandboxAccounts.BlueskyAppPassword }),
        Account("x", sandbox, new() { ["access_token"] = SandboxAccounts.XAccessToken }, new() { ["username"] = SandboxAccounts.XUsername }),
        Account("threads", sandbox, new() { ["access_token"] = SandboxAccounts.ThreadsToken }, new() { ["user_id"] = SandboxAccounts.ThreadsUserId }),
        Account("medium", sandbox, new() { ["access_token"] = SandboxAccounts.MediumToken }),
    ];

    /// <summary>
    /// Seeds <paramref name="contents"/> contents (5 publications each); a content is a thread with probability
    /// 5/12, so that a third of the publications (4 short-form ones of 5) are multi-part threads.
    /// Returns, per content id, the content's index and whether it is a thread.
    /// </summary>
    public static async Task<Dictionary<ContentId, (int Index, bool Thread)>> SeedAsync(
        IServiceProvider services, Uri sandbox, int contents, DateTimeOffset firstDue, TimeSpan spread, Random random, CancellationToken cancellationToken)
    {
        var accounts = Accounts(sandbox);
        var plan = Enumerable.Range(0, contents).Select(i => (Index: i, Thread: random.NextDouble() < 5.0 / 12)).ToList();
        var seeded = new System.Collections.Concurrent.ConcurrentDictionary<ContentId, (int, bool)>();

        async Task OneAsync((int Index, bool Thread) item, CancellationToken token)
        {
            var content = Content(item.Index, item.Thread);
            var due = firstDue + (spread * item.Index / Math.Max(1, contents));
            await using var scope = services.CreateAsyncScope();
            var scheduler = scope.ServiceProvider.GetRequiredService<IPublicationScheduler>();
            await scheduler.ScheduleAsync(content, accounts, ScheduleTime.At(due), token);
            seeded[content.Id] = item;
        }

        // The first one alone: it stores the accounts, which the others then find (no race on their insert).
        await OneAsync(plan[0], cancellationToken);
        await Parallel.ForEachAsync(plan.Skip(1), new ParallelOptions { MaxDegreeOfParallelism = 6, CancellationToken = cancellationToken }, async (item, token) => await OneAsync(item, token));
        return new Dictionary<ContentId, (int, bool)>(seeded);
    }

    private static Content Content(int index, bool thread)
    {
        var marker = Marker(index);
        var paragraphs = Enumerable.Range(1, Paragraphs).Select(k =>
            $"{marker}-p{k} Paragraph {k} of a soak post: workers die, the database restarts and the platform misbehaves.");
        return new Content
        {
            Type = ContentType.Article,
            Title = $"Soak {marker}",
            Description = $"{marker}-d What the soak checks.",
            Body = string.Join("\n\n", paragraphs),
            Tags = ["chaos"],
            CanonicalUrl = new Uri($"https://blog.example.com/soak/{marker}"),
            Thread = thread,
        };
    }

    private static Account Account(string platform, Uri sandbox, Dictionary<string, string> credentials, Dictionary<string, string>? settings = null) => new()
    {
        Platform = platform,
        DisplayName = "chaos",
        BaseUrl = PlatformBaseUrl(sandbox, platform),
        Credentials = new AccountCredentials(credentials),
        Settings = new Dictionary<string, string>(settings ?? [], StringComparer.OrdinalIgnoreCase),
    };
}
