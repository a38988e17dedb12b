using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Herald.Publications;
using Herald.Server.Hosting;
using Herald.Storage;
using Herald.Workers;
using Microsoft.EntityFrameworkCore;

namespace Herald.Server.Metrics;

/// <summary>
/// Herald's own metrics (meter <c>Herald</c>), exported with ASP.NET Core's HTTP server metrics at <c>/metrics</c> in
/// Prometheus format: attempts by the status they ended in and platform, how long each attempt took (publish duration,
/// read from its stored attempt row), lateness (sent − due) of published posts, and publications by status and platform
/// (a snapshot of the table, refreshed every <see cref="HeraldServerOptions.MetricsSnapshotInterval"/>).
/// Tags hold only statuses and platform ids — never content, accounts or errors.
/// </summary>
internal sealed class HeraldMetrics : BackgroundService
{
    public const string MeterName = "Herald";

    private readonly Meter _meter;
    private readonly Counter<long> _attempts;
    private readonly Histogram<double> _lateness;
    private readonly Histogram<double> _duration;

    /// <summary>Attempts that ended, waiting for their stored duration to be read (the event comes on the worker's thread).</summary>
    private readonly Channel<(PublicationId Id, int Attempt, string Status, string Platform)> _ended =
        Channel.CreateBounded<(PublicationId, int, string, string)>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _snapshotInterval;
    private readonly BatchExecutor? _executor;
    private volatile IReadOnlyList<(string Status, string Platform, int Count)> _snapshot = [];

    public HeraldMetrics(IMeterFactory meters, IServiceScopeFactory scopes, TimeProvider clock, HeraldServerOptions options, IServiceProvider services)
    {
        _snapshotInterval = options.MetricsSnapshotInterval;
        _meter = meters.Create(MeterName);
        _scopes = scopes;
        _clock = clock;
        _attempts = _meter.CreateCounter<long>("herald.attempts", unit: "{attempt}", description: "Attempts that ended, by the status they left the publication in and platform.");
        _lateness = _meter.CreateHistogram<double>("herald.publish.lateness", unit: "s", description: "How long after its due time a publication was published.");
        _duration = _meter.CreateHistogram<double>("herald.publish.duration", unit: "s", description: "How long an attempt took, from its start to its recorded outcome, by the status it left and platform.");
        _meter.CreateObservableGauge("herald.publications", Observe, unit: "{publication}", description: "Publications by status and platform.");
        // Only a process that runs the workers sees attempts end.
        _executor = services.GetService<BatchExecutor>();
        if (_executor is not null)
        {
            _executor.PublicationFinished += Record;
        }
    }

    private void Record(Publication publication)
    {
        var tags = new TagList { { "status", publication.Status.ToString() }, { "platform", publication.Platform } };
        _attempts.Add(1, tags);
        _ended.Writer.TryWrite((publication.Id, publication.AttemptCount, publication.Status.ToString(), publication.Platform));
        if (publication.Status == PublicationStatus.Published && publication.PublishedAt is { } published)
        {
            _lateness.Record(Math.Max(0, (published - publication.ScheduledAt).TotalSeconds), new TagList { { "platform", publication.Platform } });
        }
    }

    private IEnumerable<Measurement<int>> Observe() =>
        _snapshot.Select(s => new Measurement<int>(s.Count, new KeyValuePair<string, object?>("status", s.Status), new KeyValuePair<string, object?>("platform", s.Platform)));

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(SnapshotAsync(stoppingToken), DurationsAsync(stoppingToken));

    /// <summary>Records each ended attempt's duration from its stored row (start and end as the runner wrote them).</summary>
    private async Task DurationsAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (id, number, status, platform) in _ended.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await using var scope = _scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
                    var attempt = await db.Attempts.AsNoTracking()
                        .Where(a => a.PublicationId == id && a.Number == number)
                        .Select(a => new { a.StartedAt, a.EndedAt })
                        .FirstOrDefaultAsync(stoppingToken);
                    if (attempt is not null)
                    {
                        _duration.Record(Math.Max(0, (attempt.EndedAt - attempt.StartedAt).TotalSeconds),
                            new TagList { { "status", status }, { "platform", platform } });
                    }
                }
                catch (Exception ex) when (ex is InvalidOperationException or System.Data.Common.DbException)
                {
                    // The database is away for a moment: this attempt's duration is not recorded.
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task SnapshotAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = _scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
                var rows = await db.Publications.AsNoTracking()
                    .GroupBy(p => new { p.Status, p.Platform })
                    .Select(g => new { g.Key.Status, g.Key.Platform, Count = g.Count() })
                    .ToListAsync(stoppingToken);
                _snapshot = [.. rows.Select(r => (r.Status.ToString(), r.Platform, r.Count))];
                await Task.Delay(_snapshotInterval, _clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.Data.Common.DbException)
            {
                // The database is away for a moment (or not migrated yet): the last snapshot stands.
                await Task.Delay(_snapshotInterval, _clock, stoppingToken);
            }
        }
    }

    public override void Dispose()
    {
        if (_executor is not null)
        {
            _executor.PublicationFinished -= Record;
        }

        _meter.Dispose();
        base.Dispose();
    }
}
