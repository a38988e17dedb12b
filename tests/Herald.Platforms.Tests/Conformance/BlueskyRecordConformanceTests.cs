using System.Text.Encodings.Web;
using System.Text.Json;
using Herald.Accounts;
using Herald.Contents;
using Herald.Platforms.Bluesky;
using Herald.Sandbox;
using Herald.Sandbox.Bluesky;
using Herald.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Platforms.Tests.Conformance;

/// <summary>
/// Issue 14, records: Herald's Bluesky adapter posts every fixture string, and every tenth one stretched to a thread,
/// over real HTTP to the sandbox PDS, which refuses a record the lexicon refuses (text limits, facets, reply strongRefs
/// with real CIDs). With <c>HERALD_BLUESKY_RECORDS</c> set to a file path, the records the sandbox received are written
/// there, for scripts/conformance to check with @atproto/api's own lexicon validator (docs/counting.md).
/// </summary>
public sealed class BlueskyRecordConformanceTests : IAsyncLifetime
{
    /// <summary>Where to write the records for the lexicon validator; unset in an ordinary test run.</summary>
    public const string RecordsPathVariable = "HERALD_BLUESKY_RECORDS";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
    private SandboxServer _server = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxServer.StartAsync(new SandboxOptions { TimeProvider = _clock, Random = new Random(14), DisableRateLimits = true });
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddHerald().AddBluesky();
        _services = services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Publish_EveryFixtureStringAndThreadsOfThem_TheSandboxPdsAcceptsEveryRecord()
    {
        var adapter = _services.GetRequiredService<PlatformRegistry>().Resolve("bluesky");
        var user = _server.State.Bluesky.AddAccount("conformance.bsky.social", "conformance-pass-1234");
        var account = new Account
        {
            Platform = "bluesky",
            DisplayName = user.Handle,
            Credentials = new AccountCredentials { ["identifier"] = user.Handle, ["app_password"] = user.AppPassword },
            BaseUrl = _server.PlatformBaseUrl("bluesky"),
        };
        MentionedHandlesExist();

        var entries = CountingFixture.Instance.Entries;
        var texts = entries.Select(entry => entry.Text).Concat(entries.Where((_, index) => index % 10 == 0).Select(entry => CountingFixture.Stretch(entry.Text)));
        var refused = new List<string>();
        var posts = 0;
        foreach (var (text, index) in texts.Select((text, index) => (text, index)))
        {
            var content = new Content { Type = ContentType.Post, Body = text };
            if (adapter.Validate(content, account).Count > 0)
            {
                // Nothing to post (only whitespace): Herald refuses it before sending, as it must.
                Assert.True(string.IsNullOrWhiteSpace(text), $"#{index} {JsonSerializer.Serialize(text)} refused by validation");
                continue;
            }

            var outcome = await adapter.PublishAsync(new PublishRequest(content, account, $"conformance-{index}"));
            posts++;
            if (outcome.Kind != PublishOutcomeKind.Published)
            {
                refused.Add($"#{index} {JsonSerializer.Serialize(text)}: {outcome.Error}");
            }
        }

        var records = _server.State.Bluesky.Records.Where(record => record.Did == user.Did).ToList();
        if (Environment.GetEnvironmentVariable(RecordsPathVariable) is { Length: > 0 } path)
        {
            await WriteRecordsAsync(path, records);
        }

        Assert.True(refused.Count == 0, $"{refused.Count} of {posts} posts refused by the sandbox PDS:\n{string.Join("\n", refused.Take(20))}");
        Assert.True(records.Count > posts, $"{records.Count} records for {posts} posts: the stretched texts should have made threads");
        Assert.True(records.Count(record => record.Json.Contains("\"reply\"", StringComparison.Ordinal)) >= posts / 10, "too few thread replies");
        Assert.Contains(records, record => record.Json.Contains("facet#mention", StringComparison.Ordinal));
    }

    /// <summary>Every handle the fixture mentions is a sandbox account, so its mentions become facets.</summary>
    private void MentionedHandlesExist()
    {
        var handles = CountingFixture.Instance.Entries
            .SelectMany(entry => BlueskyFacets.Find(entry.Text))
            .Where(span => span.Kind == BlueskyFacetSpan.Mention)
            .Select(span => span.Value)
            .Distinct(StringComparer.OrdinalIgnoreCase);
        foreach (var handle in handles)
        {
            if (_server.State.Bluesky.FindByHandleOrDid(handle) is null)
            {
                _server.State.Bluesky.AddAccount(handle, "mentioned-pass-1234");
            }
        }
    }

    private static async Task WriteRecordsAsync(string path, IReadOnlyList<BlueskyRecord> records)
    {
        await using var file = File.Create(path);
        await using var writer = new Utf8JsonWriter(file, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        writer.WriteStartArray();
        foreach (var record in records)
        {
            writer.WriteStartObject();
            writer.WriteString("uri", record.Uri);
            writer.WriteString("cid", record.Cid);
            writer.WritePropertyName("record");
            using var json = JsonDocument.Parse(record.Json);
            json.RootElement.WriteTo(writer);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
