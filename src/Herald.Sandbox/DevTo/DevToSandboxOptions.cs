namespace Herald.Sandbox.DevTo;

/// <summary>The simulated Dev.to's limits: <c>new SandboxOptions { DevTo = { CreatesPerWindow = 2 } }</c>.</summary>
public sealed class DevToSandboxOptions
{
    /// <summary>Dev.to's per-user limit on published article creation (docs/platforms.md, Dev.to: 9 per 30 s).</summary>
    public int CreatesPerWindow { get; set; } = 9;

    public TimeSpan CreateWindow { get; set; } = TimeSpan.FromSeconds(30);
}
