using System.Collections;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Herald.DependencyInjection;
using Herald.Publications;
using Herald.Scheduling;
using Herald.Server.Hosting;
using Herald.Storage;
using Herald.Storage.Security;
using Herald.Workers;
using Herald.Workers.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Herald.Cli.Tests;

/// <summary>
/// Every <c>Herald:…</c> setting the README and docs/*.md name reaches the object that uses it, composed exactly as
/// the CLI composes Herald (<see cref="CliServices.Add"/>, plus <c>AddHeraldJobs</c> as <c>herald work</c> adds it, and
/// the server's own <c>Herald:Server</c> options as <c>herald serve</c> adds them).
/// Per-account keys (<c>Herald:Accounts:…</c>) are left out: they are account data the CLI's account catalog reads,
/// not settings bound to an options type.
/// </summary>
public sealed partial class DocumentedSettingsTests : IDisposable
{
    // {platform} in the docs stands for a platform id; Dev.to has a documented default rate limit to override.
    private const string SamplePlatform = "devto";

    private readonly string _directory = Directory.CreateTempSubdirectory("herald-settings-").FullName;

    public static TheoryData<string> DocumentedKeys => new(DocumentedSettings());

    [Fact]
    public void DocumentedSettings_ReadmeAndDocs_AreFoundAndCoverEveryKind()
    {
        var keys = DocumentedSettings();

        // A guard on the parser itself: if these go missing, it no longer reads the docs' tables.
        Assert.Contains("Herald:MaxRetries", keys);
        Assert.Contains("Herald:Workers:ConcurrencyPerBatch", keys);
        Assert.Contains("Herald:Threads:PublishAttempts", keys);
        Assert.Contains("Herald:Mastodon:InstanceLimitsLifetime", keys);
        Assert.Contains("Herald:X:Timeout", keys);
        Assert.Contains("Herald:LinkedIn:Timeout", keys);
        Assert.DoesNotContain(keys, k => k.StartsWith("Herald:Accounts", StringComparison.OrdinalIgnoreCase));
        // Every platform section the CLI binds is one the docs list for `Herald:{Platform}:…`, and no other.
        Assert.Equal(PlatformSections().Order(StringComparer.Ordinal), DocumentedPlatformSections().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void BoundSettings_EveryOne_IsDocumented()
    {
        var documented = DocumentedSettings();
        var services = new ServiceCollection();
        CliServices.Add(services, new ConfigurationBuilder().Build(), verbose: false);
        services.AddHeraldJobs(new ConfigurationBuilder().Build());
        services.AddHeraldServerOptions();

        var undocumented = services.Select(d => d.ImplementationInstance).OfType<HeraldSettingsSection>().Distinct()
            .SelectMany(s => SettingKeys(s.Path, s.OptionsType))
            .Where(key => !documented.Any(d => d.Equals(key, StringComparison.OrdinalIgnoreCase) ||
                d.StartsWith(key + ":", StringComparison.OrdinalIgnoreCase)))
            .ToList();

        Assert.True(undocumented.Count == 0, "settings bound but named in no doc: " + string.Join(", ", undocumented));
    }

    [Theory]
    [MemberData(nameof(DocumentedKeys))]
    public void DocumentedSetting_SetInConfiguration_ReachesItsOptions(string key)
    {
        var probe = Probe(key);

        using var services = Compose(probe.Value is null ? [] : new() { [probe.Key ?? key] = probe.Value });
        var problem = probe.Check(services);

        Assert.True(problem is null, $"{key}: {problem}");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>The setting keys README.md and docs/*.md name, placeholders filled in, account keys left out.</summary>
    private static SortedSet<string> DocumentedSettings()
    {
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in DocFiles())
        {
            var lines = File.ReadAllLines(file);
            string? tableSection = null;
            foreach (var line in lines)
            {
                // A table headed "Settings (`Herald:Threads`)" lists that section's keys in its first column.
                if (SettingsHeading().Match(line) is { Success: true } heading)
                {
                    tableSection = heading.Groups["section"].Value;
                    continue;
                }

                if (tableSection is not null)
                {
                    if (TableRowKey().Match(line) is { Success: true } row)
                    {
                        keys.Add($"{tableSection}:{row.Groups["key"].Value}");
                    }
                    else if (!line.StartsWith('|'))
                    {
                        tableSection = null;
                    }
                }

                foreach (Match match in Key().Matches(line))
                {
                    // `Herald:Workers:BatchSize` / `ConcurrencyPerBatch`: the siblings share the first key's section.
                    var key = match.Groups["key"].Value.TrimEnd(':');
                    keys.Add(key);
                    var parent = key[..key.LastIndexOf(':')];
                    foreach (Capture sibling in match.Groups["sibling"].Captures)
                    {
                        keys.Add($"{parent}:{sibling.Value}");
                    }
                }

                foreach (Match match in EnvironmentKey().Matches(line))
                {
                    keys.Add(match.Value.Replace("__", ":", StringComparison.Ordinal));
                }
            }
        }

        // `Herald:{Platform}:…` stands for the sections the docs name ("`{Platform}` is `DevTo`, … or `Threads`"),
        // never for what the code registers: a section bound under another name must fail, not document itself.
        var platformSections = DocumentedPlatformSections();
        return new SortedSet<string>(
            keys.Where(k => !k.StartsWith("Herald:Accounts", StringComparison.OrdinalIgnoreCase))
                .SelectMany(k => k.Contains("{Platform}", StringComparison.Ordinal)
                    ? platformSections.Select(section => k.Replace("Herald:{Platform}", section, StringComparison.Ordinal))
                    : [k.Replace("{platform}", SamplePlatform, StringComparison.Ordinal)]),
            StringComparer.Ordinal);
    }

    /// <summary>The platform sections the docs list for <c>{Platform}</c>: <c>Herald:DevTo</c>, <c>Herald:X</c>, ….</summary>
    private static List<string> DocumentedPlatformSections()
    {
        var text = string.Join('\n', DocFiles().Select(File.ReadAllText));
        return PlatformList().Matches(text)
            .SelectMany(m => PlatformName().Matches(m.Groups["list"].Value).Select(n => $"Herald:{n.Groups["name"].Value}"))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>README.md and docs/*.md, where settings are documented.</summary>
    private static IEnumerable<string> DocFiles() =>
        Directory.GetFiles(Path.Combine(CliRun.RepositoryRoot, "docs"), "*.md").Prepend(Path.Combine(CliRun.RepositoryRoot, "README.md"));

    /// <summary>The sections the platform adapters bind (<c>Herald:DevTo</c>, <c>Herald:X</c>, …), as the CLI registers them.</summary>
    private static List<string> PlatformSections()
    {
        var services = new ServiceCollection();
        CliServices.Add(services, new ConfigurationBuilder().Build(), verbose: false);
        return services
            .Select(d => d.ImplementationInstance)
            .OfType<HeraldSettingsSection>()
            .Where(s => s.OptionsType.Namespace?.StartsWith("Herald.Platforms.", StringComparison.Ordinal) == true)
            .Select(s => s.Path)
            .ToList();
    }

    private ServiceProvider Compose(Dictionary<string, string?> settings)
    {
        settings.TryAdd("Herald:Database", $"Data Source={Path.Combine(_directory, "herald.db")}");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        CliServices.Add(services, configuration, verbose: false);
        services.AddHeraldJobs(configuration);
        services.AddHeraldServerOptions();
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        // The value must also pass every rule: the host would refuse to start otherwise.
        provider.GetRequiredService<IStartupValidator>().Validate();
        return provider;
    }

    /// <summary>What to set for <paramref name="key"/> and how to see that it arrived.</summary>
    private SettingProbe Probe(string key)
    {
        var platform = $"Herald:RateLimits:{SamplePlatform}:";
        var database = Path.Combine(_directory, "documented-settings.db");
        var credentialKey = RandomNumberGenerator.GetBytes(32);
        return key switch
        {
            // Storage takes these two as arguments, not as options.
            "Herald:Database" => new($"Data Source={database}", sp =>
                sp.GetRequiredService<HeraldDatabaseInfo>().ConnectionString.Contains(database, StringComparison.Ordinal) ? null : "the database is another one"),
            "Herald:CredentialKey" => new(Convert.ToBase64String(credentialKey), sp =>
                sp.GetRequiredService<CredentialProtector>().KeyId == new CredentialProtector(credentialKey).KeyId ? null : "another key is in use"),

            // The CLI reads these two itself, for its --sandbox commands.
            "Herald:SandboxDatabase" => new($"Data Source={database}.sandbox", sp =>
                Expect(Cli.Configuration.CliConfiguration.SandboxDatabase(sp.GetRequiredService<IConfiguration>()), $"Data Source={database}.sandbox")),
            "Herald:Sandbox:Url" => new("http://127.0.0.1:5999/", sp =>
                Expect(Cli.Configuration.CliConfiguration.SandboxUrl(sp.GetRequiredService<IConfiguration>()), new Uri("http://127.0.0.1:5999/"))),

            // Retry and rate-limit sections mix settings and per-platform subsections; they are read into policies.
            "Herald:Retry:BaseDelay" => new("00:00:07", sp => Expect(sp.GetRequiredService<RetryPolicies>().Default.BaseDelay, TimeSpan.FromSeconds(7))),
            "Herald:Retry:MaxDelay" => new("00:07:00", sp => Expect(sp.GetRequiredService<RetryPolicies>().Default.MaxDelay, TimeSpan.FromMinutes(7))),
            "Herald:Retry:MaxRetries" => new("6", sp => Expect(sp.GetRequiredService<RetryPolicies>().Default.MaxRetries, 6)),
            $"Herald:Retry:{SamplePlatform}" => new("5", sp => Expect(sp.GetRequiredService<RetryPolicies>().For(SamplePlatform).MaxRetries, 5))
            {
                Key = $"Herald:Retry:{SamplePlatform}:MaxRetries",
            },
            "Herald:Retry" => new(null, sp => sp.GetService<RetryPolicies>() is null ? "no retry policies are registered" : null),
            "Herald:RateLimits" => new(null, sp => sp.GetService<RateLimitPolicies>() is null ? "no rate-limit policies are registered" : null),
            "Herald:RateLimits:Enabled" => new("false", sp => Expect(sp.GetRequiredService<RateLimitPolicies>().Enabled, false)),
            _ when key == platform + "Permits" => new("7", sp => Expect(sp.GetRequiredService<RateLimitPolicies>().For(SamplePlatform)?.Permits, 7)),
            _ when key == platform + "Window" => new("00:00:47", sp => Expect(sp.GetRequiredService<RateLimitPolicies>().For(SamplePlatform)?.Window, TimeSpan.FromSeconds(47))),
            _ when key == platform + "Enabled" => new("false", sp => Expect(sp.GetRequiredService<RateLimitPolicies>().For(SamplePlatform), null)),
            // Mastodon's page says this switches its upload limit off too.
            "Herald:RateLimits:mastodon:Enabled" => new("false", sp =>
                Expect(sp.GetRequiredService<RateLimitPolicies>().For(RateLimitPolicies.Uploads("mastodon")), null)),

            // Anything else lives in an options type bound from its section.
            _ => OptionsProbe(key),
        };
    }

    /// <summary>Finds the bound section <paramref name="key"/> belongs to and the member it names, and picks a value.</summary>
    private static SettingProbe OptionsProbe(string key)
    {
        var services = new ServiceCollection();
        CliServices.Add(services, new ConfigurationBuilder().Build(), verbose: false);
        services.AddHeraldJobs(new ConfigurationBuilder().Build());
        services.AddHeraldServerOptions();
        var sections = services.Select(d => d.ImplementationInstance).OfType<HeraldSettingsSection>().Distinct().ToList();
        if (sections.FirstOrDefault(s => string.Equals(s.Path, key, StringComparison.OrdinalIgnoreCase)) is { } whole)
        {
            return new(null, sp => Options(sp, whole) is null ? "the section binds nothing" : null);
        }

        var section = sections
            .Where(s => key.StartsWith(s.Path + ":", StringComparison.OrdinalIgnoreCase))
            .MaxBy(s => s.Path.Length);
        if (section is null)
        {
            return new(null, _ => "this documented setting maps to nothing: no registration binds its section");
        }

        var path = key[(section.Path.Length + 1)..].Split(':');
        var (_, defaultValue, type, problem) = Walk(Activator.CreateInstance(section.OptionsType)!, path);
        if (problem is not null)
        {
            return new(null, _ => $"this documented setting maps to nothing: {section.OptionsType.Name} {problem}");
        }

        if (!IsLeaf(type))
        {
            // A documented group of settings (such as Herald:Limits): it must exist; its keys are checked one by one.
            return new(null, sp => Walk(Options(sp, section)!, path).Problem);
        }

        var value = Distinctive(type, defaultValue);
        var expected = TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value);
        return new(value, sp =>
        {
            var (_, actual, _, walkProblem) = Walk(Options(sp, section)!, path);
            return walkProblem ?? Expect(actual, expected);
        });
    }

    /// <summary>The keys of every settable member of <paramref name="type"/> (groups by their members; a dictionary by its own key).</summary>
    private static IEnumerable<string> SettingKeys(string path, Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetMethod is not null && (p.CanWrite || !IsLeaf(p.PropertyType)))
            .SelectMany(p => IsLeaf(p.PropertyType) || typeof(IDictionary).IsAssignableFrom(p.PropertyType)
                ? [$"{path}:{p.Name}"]
                : SettingKeys($"{path}:{p.Name}", p.PropertyType));

    private static object? Options(IServiceProvider services, HeraldSettingsSection section)
    {
        var options = services.GetRequiredService(typeof(IOptions<>).MakeGenericType(section.OptionsType));
        return options.GetType().GetProperty(nameof(IOptions<object>.Value))!.GetValue(options);
    }

    /// <summary>Follows <paramref name="path"/> through properties and dictionary entries (a missing entry is created, as binding would).</summary>
    private static (bool Found, object? Value, Type Type, string? Problem) Walk(object start, string[] path)
    {
        object? current = start;
        var type = start.GetType();
        foreach (var segment in path)
        {
            if (current is IDictionary dictionary)
            {
                var valueType = type.GetGenericArguments()[1];
                if (!dictionary.Contains(segment))
                {
                    dictionary[segment] = Activator.CreateInstance(valueType);
                }

                current = dictionary[segment];
                type = valueType;
                continue;
            }

            var property = type.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                return (false, null, type, $"has no member '{segment}'");
            }

            current = current is null ? null : property.GetValue(current);
            type = property.PropertyType;
        }

        return (true, current, type, null);
    }

    private static bool IsLeaf(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying.IsPrimitive || underlying == typeof(string) || underlying == typeof(TimeSpan) || underlying == typeof(Uri) || underlying.IsEnum;
    }

    /// <summary>A valid value unlike the default, written as configuration would hold it.</summary>
    private static string Distinctive(Type type, object? defaultValue)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return defaultValue switch
        {
            TimeSpan span => (span + TimeSpan.FromSeconds(7)).ToString("c", CultureInfo.InvariantCulture),
            int number => (number - 1).ToString(CultureInfo.InvariantCulture),
            long number => (number - 1).ToString(CultureInfo.InvariantCulture),
            bool flag => (!flag).ToString(CultureInfo.InvariantCulture),
            Enum value => Enum.GetNames(underlying).First(n => n != value.ToString()),
            Uri uri => new UriBuilder(uri) { Host = "documented-setting.example" }.Uri.ToString(),
            string text when text.Length == 6 && text.All(char.IsAsciiDigit) => "202507",
            // An address setting with no default (Herald:PublicBaseUrl): an absolute URL is valid wherever one is taken.
            "" or null when underlying == typeof(string) => "https://documented-setting.example/",
            null when underlying == typeof(TimeSpan) => "00:00:07",
            null when underlying == typeof(int) => "7",
            _ => throw new InvalidOperationException($"no distinctive value for a {type.Name} (default '{defaultValue}'); add one"),
        };
    }

    private static string? Expect(object? actual, object? expected) =>
        Equals(actual, expected) ? null : $"expected '{expected}', the options hold '{actual}' (the setting did not arrive)";

    [GeneratedRegex(@"Settings \(`(?<section>Herald:[A-Za-z]+)`\)")]
    private static partial Regex SettingsHeading();

    [GeneratedRegex(@"^\|\s*`(?<key>[A-Za-z]+)`\s*\|")]
    private static partial Regex TableRowKey();

    // Herald:[A-Za-z:]+ keys, with {platform} / {Platform} placeholders, and the siblings a table row lists after them.
    [GeneratedRegex(@"(?<key>Herald:[A-Za-z{}:]+)`?(?:\s*/\s*`(?<sibling>[A-Za-z]+)`)*")]
    private static partial Regex Key();

    [GeneratedRegex(@"`\{Platform\}` is (?<list>(?:`[A-Za-z]+`(?:, | or )?)+)")]
    private static partial Regex PlatformList();

    [GeneratedRegex(@"`(?<name>[A-Za-z]+)`")]
    private static partial Regex PlatformName();

    [GeneratedRegex(@"Herald__[A-Za-z_{}]+")]
    private static partial Regex EnvironmentKey();

    /// <summary>The value to set (null: nothing, the key names a section) and a check that returns a problem or null.</summary>
    private sealed record SettingProbe(string? Value, Func<IServiceProvider, string?> Check)
    {
        /// <summary>The key actually set, when the documented one is a prefix (<c>Herald:Retry:{platform}:…</c>).</summary>
        public string? Key { get; init; }
    }
}
