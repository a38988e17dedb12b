using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using CsCheck;
using Herald.Accounts;
using Herald.Contents;
using Herald.Formatting;
using Herald.Formatting.Text;
using Herald.Platforms.Bluesky;
using Herald.Platforms.Mastodon;
using Herald.Platforms.Threads;
using Herald.Platforms.X;
using Herald.Validation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Herald.Platforms.Tests.Fuzz;

/// <summary>
/// Property-based fuzzing of everything a content goes through before it is sent: a generated Markdown file
/// (front matter included, hostile or not) is parsed, then validated and rendered for every platform. The only
/// exception allowed is <see cref="ContentValidationException"/>, and every rendered part is within its limits
/// and the thread within its cap. <c>HERALD_FUZZ_ITERATIONS</c> sets the cases per property (CI default below;
/// docs/reliability.md, "Fuzzing", has the soak command); <c>HERALD_FUZZ_SEED</c> replays a failure.
/// </summary>
public sealed class ContentFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const int DefaultIterations = 100;

    // A small size limit makes "just under" and "just over" cheap to reach; the default limit has its own test.
    private static readonly ContentLimits Limits = new()
    {
        MaxContentBytes = 8 * 1024,
        MaxThreadParts = 6,
        Platforms = new(StringComparer.OrdinalIgnoreCase) { ["bluesky"] = new PlatformContentLimits { MaxThreadParts = 4 } },
    };

    private static readonly DateTimeOffset Now = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services = Build(Limits);
    private readonly ConcurrentDictionary<string, (TimeSpan Elapsed, int Chars)> _slowest = new();

    public void Dispose() => _services.Dispose();

    [Fact]
    public void MarkdownFile_AnyBytes_ParseValidateRenderThrowNothingButValidationAndStayWithinLimits()
    {
        var registry = _services.GetRequiredService<PlatformRegistry>();
        Sample(FuzzGen.FileBytes, bytes =>
        {
            if (TryParse(() => MarkdownDocument.Parse(bytes, Now, Limits)) is { } content)
            {
                Assert.True(bytes.Length <= Limits.MaxContentBytes, $"a file of {bytes.Length} bytes was accepted");
                Assert.DoesNotContain('\0', content.Body);
                CheckEveryPlatform(registry, content);
            }
        });
    }

    [Fact]
    public void MarkdownText_AnyUtf16_ParseValidateRenderThrowNothingButValidationAndStayWithinLimits()
    {
        var registry = _services.GetRequiredService<PlatformRegistry>();
        Sample(FuzzGen.FileText, text =>
        {
            if (TryParse(() => MarkdownDocument.Parse(text, Now, Limits)) is { } content)
            {
                Assert.Null(ContentRules.TextProblem(content.Body));
                CheckEveryPlatform(registry, content);
            }
        });
    }

    /// <summary>
    /// Content built through the library API, with no parser in front. The scheduler and the engine give adapters
    /// only content that passed <see cref="ContentRules"/>; the thread cutter sees any text and must not throw.
    /// </summary>
    [Fact]
    public void LibraryContent_AnyFields_ValidateRenderThrowNothingAndStayWithinLimits()
    {
        var registry = _services.GetRequiredService<PlatformRegistry>();
        Sample(FuzzGen.LibraryContent, content =>
        {
            foreach (var counter in new[] { XTextCounter.Instance, BlueskyTextCounter.Instance, ThreadsTextCounter.Instance, new MastodonTextCounter() })
            {
                var text = ShortForm.Compose(content, "x", counter, limits: Limits);
                Assert.True(text.Parts.Count <= Limits.MaxThreadPartsFor("x"));
                Assert.All(text.Parts, part => Assert.True(counter.Count(part).IsWithinLimit, part));
            }

            if (ContentRules.Validate(content, Limits).Count == 0)
            {
                CheckEveryPlatform(registry, content);
            }
        });
    }

    private void Sample<T>(Gen<T> gen, Action<T> property)
    {
        var iterations = Iterations();
        var stopwatch = Stopwatch.StartNew();
        gen.Sample(property, iter: iterations, seed: Environment.GetEnvironmentVariable("HERALD_FUZZ_SEED"), threads: 2, writeLine: output.WriteLine);
        output.WriteLine($"{iterations:N0} cases in {stopwatch.Elapsed.TotalSeconds:N1} s; slowest validate + render per platform: " +
            string.Join(", ", _slowest.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value.Elapsed.TotalMilliseconds:N0} ms ({p.Value.Chars:N0} chars)")));
    }

    private static long Iterations() =>
        long.TryParse(Environment.GetEnvironmentVariable("HERALD_FUZZ_ITERATIONS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : DefaultIterations;

    private static Content? TryParse(Func<Content> parse)
    {
        try
        {
            return parse();
        }
        catch (ContentValidationException ex)
        {
            Assert.NotEmpty(ex.Problems);
            Assert.All(ex.Problems, problem =>
            {
                Assert.False(string.IsNullOrWhiteSpace(problem.Field), problem.ToString());
                Assert.False(string.IsNullOrWhiteSpace(problem.Message), problem.ToString());
            });
            return null;
        }
    }

    private void CheckEveryPlatform(PlatformRegistry registry, Content content)
    {
        foreach (var adapter in registry.Adapters)
        {
            var platform = adapter.Platform.Id;
            var account = FuzzGen.AccountFor(platform);
            var started = Stopwatch.GetTimestamp();
            var problems = adapter.Validate(content, account);
            var payload = adapter.Render(content, account);
            var elapsed = Stopwatch.GetElapsedTime(started);
            _slowest.AddOrUpdate(platform, (elapsed, content.Body.Length), (_, old) => elapsed > old.Elapsed ? (elapsed, content.Body.Length) : old);

            Assert.True(payload.Parts.Count <= Limits.MaxThreadPartsFor(platform), $"{platform}: {payload.Parts.Count} parts");
            foreach (var part in payload.Parts)
            {
                Assert.True(part.Count <= part.Limit, $"{platform}: a part of {part.Count}/{part.Limit} {part.Unit}; problems: {string.Join("; ", problems)}");
                Assert.True(part.Secondary is not { } second || second.Count <= second.Limit, $"{platform}: a part of {part.Secondary}");
            }

            if (payload.Parts.Count > 1)
            {
                Assert.True(adapter.Platform.Capabilities.SupportsThreads, $"{platform} rendered a thread");
            }
        }
    }

    private static ServiceProvider Build(ContentLimits limits)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
        services.AddHerald(o => o.Limits = limits).AddEveryPlatform();
        return services.BuildServiceProvider();
    }
}
