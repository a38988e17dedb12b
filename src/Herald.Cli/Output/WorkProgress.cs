using Herald.Cli.Commands;
using Herald.Publications;

namespace Herald.Cli.Output;

/// <summary>
/// What <c>herald work</c> has done since it started: one row per publication it touched (newest last) and the
/// totals — published, failed, waiting for a retry — with when the next publication is due.
/// </summary>
internal sealed class WorkProgress(Func<Publication, Uri?> urlOf)
{
    /// <summary>One publication's line: its short id, platform, state and what to say about it (a URL, an error, a part count).</summary>
    public sealed record Row(string Id, string Platform, PublicationStatus Status, string Text);

    private readonly Lock _lock = new();
    private readonly Dictionary<PublicationId, Row> _rows = [];
    private readonly List<PublicationId> _order = [];
    private readonly HashSet<PublicationId> _published = [];
    private readonly HashSet<PublicationId> _failed = [];
    private readonly HashSet<PublicationId> _retrying = [];

    /// <summary>When the next publication is due (set by whoever asks the queue); null when none waits.</summary>
    public DateTimeOffset? NextDue { get; set; }

    /// <summary>Raised after a publication finished an attempt, with its line (what plain output prints).</summary>
    public event Action<Row>? Finished;

    public static string ShortId(Publication p) => PublicationLookup.RandomPart(p.Id)[..PublicationLookup.ShortIdLength];

    /// <summary>A save seen while the publication is being sent: a line saying so, with the thread's parts so far.</summary>
    public void Sending(Publication p)
    {
        if (p.Status != PublicationStatus.Publishing)
        {
            return;
        }

        Set(p, p.ThreadPartIds.Count > 0 ? $"sending… {p.ThreadPartIds.Count} part{(p.ThreadPartIds.Count == 1 ? "" : "s")} sent" : "sending…");
    }

    /// <summary>An attempt's outcome, as saved.</summary>
    public void Done(Publication p)
    {
        var id = ShortId(p);
        var text = p.Status switch
        {
            PublicationStatus.Published => $"✓ published  {urlOf(p)}",
            PublicationStatus.RetryScheduled => $"↻ retry at {p.NextAttemptAt:yyyy-MM-dd HH:mm:ss} UTC: {p.LastError}",
            PublicationStatus.Scheduled => $"… waiting for a rate-limit permit until {p.NextAttemptAt:HH:mm:ss} UTC",
            PublicationStatus.AwaitingManualAction => $"✎ draft ready: herald status {id}, then herald posted {id} --url …",
            _ => $"✗ {p.Status}: {p.LastError}",
        };
        Row row;
        lock (_lock)
        {
            row = Set(p, text);
            _published.Remove(p.Id);
            _failed.Remove(p.Id);
            _retrying.Remove(p.Id);
            (p.Status switch
            {
                PublicationStatus.Published or PublicationStatus.AwaitingManualAction => _published,
                PublicationStatus.RetryScheduled or PublicationStatus.Scheduled => _retrying,
                _ => _failed,
            }).Add(p.Id);
        }

        Finished?.Invoke(row);
    }

    /// <summary>The newest <paramref name="count"/> rows, oldest first.</summary>
    public IReadOnlyList<Row> Latest(int count)
    {
        lock (_lock)
        {
            return [.. _order.Skip(Math.Max(0, _order.Count - count)).Select(id => _rows[id])];
        }
    }

    /// <summary>"3 published · 1 failed · 1 retrying · next due 09:00:00 UTC".</summary>
    public string Summary(TimeProvider clock)
    {
        lock (_lock)
        {
            var next = NextDue is { } due
                ? due <= clock.GetUtcNow() ? "next due now" : $"next due {due.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC"
                : "nothing waiting";
            return $"{_published.Count} published · {_failed.Count} failed · {_retrying.Count} retrying · {next}";
        }
    }

    private Row Set(Publication p, string text)
    {
        lock (_lock)
        {
            if (!_rows.ContainsKey(p.Id))
            {
                _order.Add(p.Id);
            }

            var row = new Row(ShortId(p), p.Platform, p.Status, text);
            _rows[p.Id] = row;
            return row;
        }
    }
}
