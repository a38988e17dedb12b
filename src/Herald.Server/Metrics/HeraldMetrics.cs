using System.Diagnostics;
using System.Diagnostics.Metrics;
using Herald.Publications;
using Herald.Storage;
using Herald.Workers;
using Microsoft.EntityFrameworkCore;

namespace Herald.Server.Metrics;

/// <summary>
/// Herald's own metrics (meter <c>Herald</c>), exported with ASP.NET Core's HTTP server metrics at <c>/metrics</c> in
/// Prometheus format: attempts by the status they ended in and platform, lateness (sent − due) of published posts,
/// and publications by status and platform (a snapshot of the table, refreshed every <see cref="SnapshotInterval"/>).
/// Tags hold only statuses and platform ids — never content, accounts or errors.
/// </summary>
internal sealed class HeraldMetrics : BackgroundService
{
    public const string MeterName = "Herald";

    private static readonly TimeSpan SnapshotInterval = TimeSpan.FromSeconds(15);

    private readonly Meter _meter;
    private readonly Counter<long> _attempts;
    private readonly Histogram<double> _lateness;
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _clock;
    private readonly BatchExecutor? _executor;
    private volatile IReadOnlyList<(string Status, string Platform, int Count)> _snapshot = [];

    public HeraldMetrics(IMeterFactory meters, IServiceScopeFactory scopes, TimeProvider clock, IServiceProvider services)
    {
        _meter = meters.Create(MeterName);
        _scopes = scopes;
        _clock = clock;
        _attempts = _meter.CreateCounter<long>("herald.attempts", unit: "{attempt}", description: "Attempts that ended, by the status they left the publication in and platform.");
        _lateness = _meter.CreateHistogram<double>("herald.publish.lateness", unit: "s", description: "How long after its due time a publication was published.");
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
        if (publication.Status == PublicationStatus.Published && publication.PublishedAt is { } published)
        {
            _lateness.Record(Math.Max(0, (published - publication.ScheduledAt).TotalSeconds), new TagList { { "platform", publication.Platform } });
        }
    }

    private IEnumerable<Measurement<int>> Observe() =>
        _snapshot.Select(s => new Measurement<int>(s.Count, new KeyValuePair<string, object?>("status", s.Status), new KeyValuePair<string, object?>("platform", s.Platform)));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
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
                await Task.Delay(SnapshotInterval, _clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.Data.Common.DbException)
            {
                // The database is away for a moment (or not migrated yet): the last snapshot stands.
                await Task.Delay(SnapshotInterval, _clock, stoppingToken);
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
