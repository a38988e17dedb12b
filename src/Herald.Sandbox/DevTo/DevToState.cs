using Herald.Sandbox.Hosting;

namespace Herald.Sandbox.DevTo;

/// <summary>The simulated Forem's data: users, articles, rate-limit windows.</summary>
public sealed class DevToState
{
    internal DevToState(SandboxState sandbox) => Sandbox = sandbox;

    internal SandboxState Sandbox { get; }
}
