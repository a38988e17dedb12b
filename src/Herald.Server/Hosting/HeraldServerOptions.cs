using Microsoft.Extensions.Options;

namespace Herald.Server.Hosting;

/// <summary>What a <c>herald serve</c> process runs, from the configuration section <c>Herald:Server</c>.</summary>
public sealed class HeraldServerOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string Section = "Herald:Server";

    /// <summary>Where the server listens when no <c>urls</c> setting (or <c>--urls</c>) says otherwise: loopback only.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>API and workers (default), the API alone, or the workers alone (with health endpoints).</summary>
    public ServerRole Role { get; set; } = ServerRole.All;

    /// <summary>Start the platform sandbox in this process and offer its accounts (one per platform, no credentials needed).</summary>
    public bool Sandbox { get; set; }

    /// <summary>Requests one API key may make per <see cref="RateLimitWindow"/>; beyond it the answer is 429 with Retry-After.</summary>
    public int RateLimitPermits { get; set; } = 600;

    /// <summary>The window of <see cref="RateLimitPermits"/>. Default one minute.</summary>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the <c>herald_publications</c> gauge (publications by status and platform) is counted again. Default 15 s.</summary>
    public TimeSpan MetricsSnapshotInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long an API key the database confirmed is trusted without asking it again (default 5 s; zero asks on every
    /// request). A key revoked through this server stops at once; one revoked on another node or with
    /// <c>herald keys revoke</c> stops within this time.
    /// </summary>
    public TimeSpan ApiKeyCacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether this process serves the REST API.</summary>
    public bool ServesApi => Role is ServerRole.All or ServerRole.Api;

    /// <summary>Whether this process runs the dispatcher and the Hangfire workers.</summary>
    public bool RunsWorkers => Role is ServerRole.All or ServerRole.Worker;

    /// <summary>Every value that cannot be used, each named with its key and the rule; empty when all are good.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!Enum.IsDefined(Role))
        {
            problems.Add($"{Section}:Role must be all, api or worker.");
        }

        if (RateLimitPermits < 1)
        {
            problems.Add($"{Section}:RateLimitPermits must be at least 1, such as 600.");
        }

        if (RateLimitWindow <= TimeSpan.Zero)
        {
            problems.Add($"{Section}:RateLimitWindow must be positive, such as 00:01:00.");
        }

        if (MetricsSnapshotInterval <= TimeSpan.Zero || MetricsSnapshotInterval > TimeSpan.FromDays(1))
        {
            problems.Add($"{Section}:MetricsSnapshotInterval must be positive and at most a day, such as 00:00:15.");
        }

        if (ApiKeyCacheDuration < TimeSpan.Zero || ApiKeyCacheDuration > TimeSpan.FromMinutes(10))
        {
            problems.Add($"{Section}:ApiKeyCacheDuration must be from zero (check every request) to 10 minutes, such as 00:00:05.");
        }

        return problems;
    }
}

/// <summary>What one server process does.</summary>
public enum ServerRole
{
    /// <summary>The REST API and the workers.</summary>
    All = 0,

    /// <summary>The REST API only; workers run elsewhere (PostgreSQL).</summary>
    Api = 1,

    /// <summary>The workers only, with the health endpoints.</summary>
    Worker = 2,
}

/// <summary>Checks <see cref="HeraldServerOptions"/> when the host starts: every bad value, with its key and the rule.</summary>
internal sealed class HeraldServerOptionsValidator : IValidateOptions<HeraldServerOptions>
{
    public ValidateOptionsResult Validate(string? name, HeraldServerOptions options) =>
        options.Problems() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}
