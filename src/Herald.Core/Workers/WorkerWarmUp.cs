using System.Diagnostics;
using Herald.Accounts;
using Herald.Contents;
using Herald.Engine;
using Herald.Platforms;
using Herald.Publications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Herald.Workers;

/// <summary>
/// Runs once as a worker starts: takes the steps a batch takes, on a publication that does not exist, so that the
/// first batch due after a start finds its code compiled (Herald's, EF Core's queries, the database driver's and
/// Hangfire's) and its connection pools filled instead of paying for all of that at its due instant (on two cores,
/// more than a second for a batch of 1,000). Nothing is stored, sent or changed: the load finds no row, the
/// version-checked writes match none, and the batch handed to the job engine names no publication.
/// </summary>
internal sealed class WorkerWarmUp(
    IServiceScopeFactory scopes,
    IPublicationQueue queue,
    IBatchSink sink,
    PlatformRegistry registry,
    TimeProvider timeProvider,
    ILogger<WorkerWarmUp> logger)
{
    /// <summary>A post with the parts the formatters handle (headings, emphasis, links, lists, code, quotes).</summary>
    internal static readonly Content Sample = new()
    {
        Title = "Herald warm-up",
        Description = "Rendered once when a worker starts; never stored or sent.",
        Tags = ["herald", "warmup"],
        CanonicalUrl = new Uri("https://herald.invalid/warm-up"),
        Body = """
            ## A heading

            A paragraph with *emphasis*, **strong** text, `code` and a [link](https://herald.invalid/link).

            - a list item
            - another, with a [second link](https://herald.invalid/other)

            > A quotation.

            ```csharp
            Console.WriteLine("warm");
            ```

            1. first
            2. second
            """,
    };

    /// <summary>
    /// Runs every step; returns how many platforms rendered the sample, or null when a step failed (logged; the first
    /// batch then compiles what it needs as it runs, as without a warm-up).
    /// </summary>
    public async Task<int?> RunAsync(CancellationToken cancellationToken)
    {
        // Off the caller's thread: the host goes on starting while this compiles.
        await Task.Yield();
        var started = Stopwatch.GetTimestamp();
        try
        {
            var rendered = RenderForEachPlatform(registry);
            await WriteAsABatchWouldAsync(cancellationToken);
            // The hand-off and the job's start: Hangfire's serializer, its storage round trip and its activator. The
            // batch names no publication, so the job returns at once without waking the dispatcher (on PostgreSQL,
            // whichever node picks it up).
            await sink.EnqueueAsync(new ClaimedBatch($"warm-up-{Guid.NewGuid():N}", [], []), cancellationToken);
            HeraldLog.WarmedUp(logger, rendered, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return rendered;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception ex)
        {
            HeraldLog.WarmUpFailed(logger, PublicationRunner.ExceptionChain(ex));
        }

        return null;
    }

    /// <summary>Renders <see cref="Sample"/> for every platform; returns how many rendered it.</summary>
    internal static int RenderForEachPlatform(PlatformRegistry registry)
    {
        var rendered = 0;
        foreach (var adapter in registry.Adapters)
        {
            var account = new Account
            {
                Platform = adapter.Platform.Id,
                DisplayName = "Herald warm-up",
                BaseUrl = adapter.Platform.DefaultBaseUrl,
            };
            try
            {
                _ = adapter.Render(Sample, account);
                rendered++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A platform that needs an account setting to render: its first publication compiles the rest.
            }
        }

        return rendered;
    }

    /// <summary>
    /// A batch's database steps on a publication that has no row: taking ownership, loading, the mark before a
    /// send and the outcome with its attempt row. Each write carries a version check, which no row matches.
    /// </summary>
    private async Task WriteAsABatchWouldAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var publication = Publication.Create(ContentId.New(), AccountId.New(), "warm-up", now, "UTC", maxRetries: 0, now);
        _ = await queue.TakeOwnershipAsync([publication.Id], $"warm-up-{Guid.NewGuid():N}", "warm-up", now, now, cancellationToken);
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IPublicationStore>();
        _ = await store.LoadBatchAsync([publication.Id], cancellationToken);
        store.Attach(publication);
        publication.BeginAttempt("warm-up", now, now);
        await WriteExpectingNoRowAsync(() => store.SavePublicationAsync(publication, cancellationToken));
        publication.MarkFailed(PublishOutcomeKind.Permanent, "warm-up", now);
        var attempt = new Attempt
        {
            PublicationId = publication.Id,
            AccountId = publication.AccountId,
            Number = 1,
            StartedAt = now,
            EndedAt = now,
            Outcome = PublishOutcomeKind.Permanent,
            Error = "warm-up",
        };
        await WriteExpectingNoRowAsync(() => store.SaveOutcomeAsync(publication, attempt, cancellationToken));
    }

    private static async Task WriteExpectingNoRowAsync(Func<Task> write)
    {
        try
        {
            await write();
        }
        catch (PublicationConflictException)
        {
            // Expected: the publication has no row, so the version check matched none and nothing was written.
        }
    }
}
