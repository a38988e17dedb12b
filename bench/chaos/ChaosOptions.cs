using System.Globalization;

namespace Herald.Chaos;

/// <summary>What one soak does; <c>--quick</c> gives a short run of 1,000 publications.</summary>
internal sealed record ChaosOptions
{
    public int Publications { get; init; } = 10_000;

    public int Workers { get; init; } = 3;

    public int Seed { get; init; } = 20261130;

    /// <summary>Due times are spread over this window from the end of seeding, so the chaos meets work in every phase.</summary>
    public TimeSpan Spread { get; init; } = TimeSpan.FromMinutes(4);

    public TimeSpan KillMin { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan KillMax { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Only a worker up this long is killed: .NET needs seconds to start on a loaded machine, and a worker killed before it claims anything tests nothing.</summary>
    public TimeSpan MinUptime { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>First SIGSTOP this long after the first publication is due; then every <see cref="StopEvery"/> (zero: only once).</summary>
    public TimeSpan StopFirst { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan StopEvery { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The PostgreSQL restart, this long after the first publication is due.</summary>
    public TimeSpan PostgresRestartAt { get; init; } = TimeSpan.FromSeconds(90);

    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>The libfaketime offset of the last worker, such as <c>+30s</c>; empty for none.</summary>
    public string Skew { get; init; } = "+30s";

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(20);

    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(8);

    public double ServerErrorRate { get; init; } = 0.02;

    public double ServerErrorAfterCommitRate { get; init; } = 0.02;

    public double RateLimitRate { get; init; } = 0.02;

    public double DropAfterAcceptRate { get; init; } = 0.02;

    public double SlowAfterCommitRate { get; init; } = 0.01;

    public TimeSpan SlowAfterCommitDelay { get; init; } = TimeSpan.FromSeconds(12);

    public bool Quick { get; init; }

    /// <summary>No SIGKILL, SIGSTOP, PostgreSQL restart or skew: the same load with only the sandbox's faults, as a baseline.</summary>
    public bool Calm { get; init; }

    public string? Out { get; init; }

    public bool KeepDatabase { get; init; }

    public static ChaosOptions Parse(string[] args)
    {
        var quick = args.Contains("--quick");
        var options = quick
            ? new ChaosOptions
            {
                Quick = true,
                Publications = 1_000,
                Spread = TimeSpan.FromSeconds(45),
                StopFirst = TimeSpan.FromSeconds(10),
                StopEvery = TimeSpan.Zero,
                PostgresRestartAt = TimeSpan.FromSeconds(40),
                DrainTimeout = TimeSpan.FromMinutes(10),
            }
            : new ChaosOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name == "--quick")
            {
                continue;
            }

            if (name == "--calm")
            {
                options = options with { Calm = true, Skew = "" };
                continue;
            }

            if (name == "--keep-database")
            {
                options = options with { KeepDatabase = true };
                continue;
            }

            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"{name}: needs a value");
            }

            var value = args[++i];
            options = name switch
            {
                "--publications" => options with { Publications = Int(name, value, 5) },
                "--workers" => options with { Workers = Int(name, value, 1) },
                "--seed" => options with { Seed = Int(name, value, 0) },
                "--spread" => options with { Spread = Span(name, value) },
                "--postgres-restart-at" => options with { PostgresRestartAt = Span(name, value) },
                "--drain-timeout" => options with { DrainTimeout = Span(name, value) },
                "--min-uptime" => options with { MinUptime = Span(name, value) },
                "--skew" => options with { Skew = value },
                "--lease" => options with { LeaseDuration = Span(name, value) },
                "--attempt-timeout" => options with { AttemptTimeout = Span(name, value) },
                "--slow-delay" => options with { SlowAfterCommitDelay = Span(name, value) },
                "--fault-5xx" => options with { ServerErrorRate = Rate(name, value) },
                "--fault-5xx-after-commit" => options with { ServerErrorAfterCommitRate = Rate(name, value) },
                "--fault-429" => options with { RateLimitRate = Rate(name, value) },
                "--fault-drop" => options with { DropAfterAcceptRate = Rate(name, value) },
                "--fault-slow" => options with { SlowAfterCommitRate = Rate(name, value) },
                "--out" => options with { Out = value },
                _ => throw new ArgumentException($"{name}: unknown option; see docs/reliability.md, \"Chaos soak\""),
            };
        }

        if (options.LeaseDuration <= options.AttemptTimeout)
        {
            throw new ArgumentException($"--lease: must be longer than --attempt-timeout ({options.AttemptTimeout})");
        }

        return options;
    }

    private static int Int(string name, string value, int min) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min
            ? n
            : throw new ArgumentException($"{name}: must be a whole number of at least {min}, not '{value}'");

    private static double Rate(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && r is >= 0 and <= 1
            ? r
            : throw new ArgumentException($"{name}: must be a rate from 0 to 1, not '{value}'");

    private static TimeSpan Span(string name, string value) =>
        TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var t) && t >= TimeSpan.Zero
            ? t
            : throw new ArgumentException($"{name}: must be a duration such as 00:00:30, not '{value}'");
}
