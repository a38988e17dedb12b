using Herald.Accounts;
using Herald.Contents;
using Herald.Platforms;
using Herald.Publications;
using Herald.Server.Dashboard;
using Herald.Server.Dashboard.Queries;
using Herald.Server.Hosting;
using Herald.Server.Publications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Dashboard.Tests;

/// <summary>
/// The dashboard's counting queries on real SQLite and real PostgreSQL: the database counts publications between the
/// bounds of the viewer's days that the server works out, so each count must equal what reading every row and taking
/// its local day gives, in zones a quarter hour off the hour, across a daylight-saving change and in old local mean time.
/// </summary>
public sealed class DashboardQueryTests
{
    public static TheoryData<string> Databases => ["sqlite", "postgresql"];

    private static readonly string[] Zones = ["Asia/Kathmandu", "America/New_York", "Pacific/Chatham", "UTC"];

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task DayCounts_EqualEachRowsOwnLocalDay_InQuarterHourZonesAndAcrossDaylightSaving(string database)
    {
        await TestDatabases.WithDatabaseAsync(database, async provider =>
        {
            // Publications a minute either side of every local midnight of March 2026 in each zone (New York and
            // Chatham change their clocks that month), plus some at odd minutes, in three statuses.
            var instants = new List<DateTimeOffset>();
            foreach (var zone in Zones.Select(TimeZoneInfo.FindSystemTimeZoneById))
            {
                for (var day = new DateOnly(2026, 3, 1); day <= new DateOnly(2026, 4, 1); day = day.AddDays(1))
                {
                    var midnight = ViewerZone.StartOf(day, zone);
                    instants.AddRange([midnight.AddMinutes(-1), midnight, midnight.AddSeconds(59), midnight.AddHours(13).AddMinutes(7)]);
                }
            }

            var statuses = await SeedAsync(provider, instants);

            foreach (var zone in Zones.Select(TimeZoneInfo.FindSystemTimeZoneById))
            {
                var (first, end) = (new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 31));
                var counted = await CountAsync(provider, first, end, zone);

                var expected = statuses.Where(s => ViewerZone.Day(s.At, zone) is var d && d >= first && d < end)
                    .GroupBy(s => ViewerZone.Day(s.At, zone))
                    .ToDictionary(g => g.Key, g => g.GroupBy(s => s.Status).ToDictionary(s => s.Key, s => s.Count()));
                Assert.Equal(Flatten(expected), Flatten(counted));
            }
        }, AddQueries);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task DayCounts_WhereDaysDoNotBeginOnAQuarterHour_StillCountRight(string database)
    {
        await TestDatabases.WithDatabaseAsync(database, async provider =>
        {
            // Amsterdam kept its local mean time (+00:19:32) until 1937: its midnights then were not on quarter hours.
            var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
            var (first, end) = (new DateOnly(1930, 6, 1), new DateOnly(1930, 6, 4));
            var midnight = ViewerZone.StartOf(new DateOnly(1930, 6, 2), zone);
            await SeedAsync(provider, [midnight.AddSeconds(-1), midnight, midnight.AddMinutes(5)]);

            var counted = await CountAsync(provider, first, end, zone);

            Assert.Equal(1, counted[new DateOnly(1930, 6, 1)].Values.Sum());
            Assert.Equal(2, counted[new DateOnly(1930, 6, 2)].Values.Sum());
        }, AddQueries);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task DayCounts_Before1970_PutARowASecondBeforeMidnightOnItsOwnDay(string database)
    {
        await TestDatabases.WithDatabaseAsync(database, async provider =>
        {
            var (first, end) = (new DateOnly(1960, 6, 1), new DateOnly(1960, 6, 3));
            var midnight = new DateTimeOffset(1960, 6, 2, 0, 0, 0, TimeSpan.Zero);
            await SeedAsync(provider, [midnight.AddSeconds(-1), midnight, midnight.AddMinutes(14)]);

            var counted = await CountAsync(provider, first, end, TimeZoneInfo.Utc);

            Assert.Equal(1, counted[new DateOnly(1960, 6, 1)].Values.Sum());
            Assert.Equal(2, counted[new DateOnly(1960, 6, 2)].Values.Sum());
        }, AddQueries);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task CalendarMonth_ShowsTheFirstFiveOfEachDayInDueOrder_AndCountsTheRest(string database)
    {
        await TestDatabases.WithDatabaseAsync(database, async provider =>
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kathmandu");
            var busy = ViewerZone.StartOf(new DateOnly(2026, 3, 10), zone);
            var quiet = ViewerZone.StartOf(new DateOnly(2026, 3, 20), zone);
            // Seven on one day, stored out of order; two on another; one the next month, which the view leaves out.
            int[] minutes = [300, 60, 1439, 0, 720, 30, 90];
            await SeedAsync(provider, [.. minutes.Select(m => busy.AddMinutes(m)), quiet.AddHours(1), quiet.AddHours(2), busy.AddDays(30)]);

            await using var scope = provider.CreateAsyncScope();
            var calendar = await scope.ServiceProvider.GetRequiredService<CalendarQuery>()
                .MonthAsync(new DateOnly(2026, 3, 1), zone, CancellationToken.None);

            Assert.Equal(new Dictionary<DateOnly, int> { [new(2026, 3, 10)] = 7, [new(2026, 3, 20)] = 2 }, calendar.Totals);
            Assert.Equal(
                [.. minutes.Order().Take(CalendarQuery.PerDayInMonth).Select(m => busy.AddMinutes(m))],
                calendar.Shown[new DateOnly(2026, 3, 10)].Select(r => r.ScheduledAt));
            Assert.Equal(2, calendar.Shown[new DateOnly(2026, 3, 20)].Count);
            Assert.Equal(2, calendar.Shown.Count);
        }, AddQueries);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task TitleSearch_TakesPercentAndUnderscoreAsWritten_AndIgnoresCase(string database)
    {
        await TestDatabases.WithDatabaseAsync(database, async provider =>
        {
            await SeedAsync(provider, [Now, Now, Now, Now], ["Growth of 100% in Q1", "Growth of 1000 in Q1", "snake_case names", "Snakes case study"]);

            await using var scope = provider.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<Herald.Storage.HeraldDbContext>();
            var registry = scope.ServiceProvider.GetRequiredService<PlatformRegistry>();
            async Task<string[]> TitlesAsync(string search)
            {
                var page = await PublicationQuery.ListAsync(db, registry, new PublicationFilter(Title: search), CancellationToken.None);
                Assert.Empty(page.Problems);
                var rows = await PublicationRows.DescribeAsync(db, scope.ServiceProvider.GetRequiredService<PostLinks>(), page.Items, CancellationToken.None);
                return [.. rows.Select(r => r.Title).Order(StringComparer.Ordinal)];
            }

            Assert.Equal(["Growth of 100% in Q1"], await TitlesAsync("100%"));
            Assert.Equal(["snake_case names"], await TitlesAsync("SNAKE_CASE"));
            Assert.Equal(["Growth of 100% in Q1", "Growth of 1000 in Q1"], await TitlesAsync("growth of 100"));
            Assert.Empty(await TitlesAsync("\\"));
        }, AddQueries);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Lists_ReadNoStoredPayload(string database)
    {
        SqlRecorder.Listen();
        await TestDatabases.WithDatabaseAsync(database, async provider =>
        {
            // A list shows a row per publication: the rendered post stored with each (often kilobytes), the lease,
            // the idempotency key, the thread's part ids and the uploaded media are not read.
            await SeedAsync(provider, [Now, Now.AddHours(1), Now.AddDays(1), Now.AddDays(2)]);

            using var sql = SqlRecorder.Start();
            await using var scope = provider.CreateAsyncScope();
            var services = scope.ServiceProvider;
            var db = services.GetRequiredService<Herald.Storage.HeraldDbContext>();
            var page = await PublicationQuery.ListAsync(db, services.GetRequiredService<PlatformRegistry>(), new PublicationFilter(), CancellationToken.None);
            var month = await services.GetRequiredService<CalendarQuery>().MonthAsync(new DateOnly(2026, 3, 1), TimeZoneInfo.Utc, CancellationToken.None);
            var overview = await ActivatorUtilities.CreateInstance<OverviewQuery>(services).LoadAsync(TimeZoneInfo.Utc, CancellationToken.None);
            var changes = await Herald.Server.Events.PublicationChanges.AfterAsync(
                db, new FakeTimeProvider(Now.AddDays(3)), new PublicationCursor(DateTimeOffset.MinValue, null), 10, CancellationToken.None);

            Assert.Equal(4, page.Items.Count);
            Assert.Equal(4, month.Shown.Values.Sum(day => day.Count));
            Assert.NotEmpty(overview.DueNext);
            Assert.Equal(4, changes.Count);
            // The table page, the calendar's days, the overview's two lists and the event stream's changes: each a
            // query with a LIMIT (the counts beside them have none).
            var lists = sql.Commands.Where(c => c.Contains("publications", StringComparison.OrdinalIgnoreCase) && c.Contains("LIMIT", StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.True(lists.Count >= 5, $"expected the five list queries, recorded {lists.Count}");
            foreach (var column in (string[])["payload", "lease_owner", "idempotency_key", "thread_part_ids", "uploaded_media"])
            {
                Assert.DoesNotContain(lists, c => c.Contains(column, StringComparison.OrdinalIgnoreCase));
            }
        }, AddQueries);
    }

    private static async Task<Dictionary<DateOnly, Dictionary<PublicationStatus, int>>> CountAsync(
        IServiceProvider provider, DateOnly first, DateOnly end, TimeZoneInfo zone)
    {
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Herald.Storage.HeraldDbContext>();
        return await DueTimeCounts.ByDayAsync(db, first, end, zone, CancellationToken.None);
    }

    private static void AddQueries(IServiceCollection services)
    {
        services.AddHerald().AddEveryPlatform();
        services.AddSingleton<ServerSandbox>();
        services.AddSingleton(sp => new PostLinks(sp.GetRequiredService<ServerSandbox>()));
        services.AddScoped<CalendarQuery>();
    }

    private static readonly DateTimeOffset Now = new(2026, 3, 15, 12, 0, 0, TimeSpan.Zero);

    private static IEnumerable<(DateOnly Day, PublicationStatus Status, int Count)> Flatten(Dictionary<DateOnly, Dictionary<PublicationStatus, int>> days) =>
        days.SelectMany(d => d.Value.Select(s => (Day: d.Key, Status: s.Key, Count: s.Value))).OrderBy(x => x.Day).ThenBy(x => x.Status);

    /// <summary>One Dev.to publication due at each instant (titled as given, or numbered), every third cancelled and every fifth published.</summary>
    private static async Task<List<(DateTimeOffset At, PublicationStatus Status)>> SeedAsync(
        IServiceProvider provider, IReadOnlyList<DateTimeOffset> instants, IReadOnlyList<string>? titles = null)
    {
        await using var scope = provider.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IPublicationStore>();
        var account = await store.UpsertAccountAsync(new Account
        {
            Platform = "devto",
            DisplayName = "queries",
            Credentials = new AccountCredentials(new Dictionary<string, string> { ["api_key"] = "k" }),
            CreatedAt = Now,
        });
        var contents = new List<Content>();
        var publications = new List<Publication>();
        var seeded = new List<(DateTimeOffset, PublicationStatus)>();
        for (var i = 0; i < instants.Count; i++)
        {
            var content = new Content { Title = titles?[i] ?? $"Post {i}", Body = "Body." };
            var publication = Publication.Create(content.Id, account.Id, "devto", instants[i], "UTC", 3, Now);
            if (i % 3 == 1)
            {
                publication.Cancel(Now);
            }
            else if (i % 5 == 4)
            {
                publication.BeginAttempt("worker", Now.AddMinutes(5), Now);
                publication.MarkPublished($"id-{i}", new Uri($"https://dev.to/herald/post-{i}"), Now);
            }

            contents.Add(content);
            publications.Add(publication);
            seeded.Add((instants[i], publication.Status));
        }

        await store.AddScheduledAsync(contents, publications.Count, i => publications[i], keepTracked: false);
        return seeded;
    }
}
