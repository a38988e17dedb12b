using Herald.Sandbox.Bluesky;
using Herald.Sandbox.DevTo;
using Herald.Sandbox.LinkedIn;
using Herald.Sandbox.Mastodon;
using Herald.Sandbox.Medium;
using Herald.Sandbox.Threads;
using Herald.Sandbox.X;

namespace Herald.Sandbox.Hosting;

/// <summary>Every platform the sandbox simulates: the one list a new platform joins.</summary>
public static class SandboxPlatforms
{
    /// <summary>The simulated platforms, in the order the sandbox lists them.</summary>
    public static IReadOnlyList<SandboxPlatform> All { get; } =
    [
        new DevToSandboxPlatform(),
        new LinkedInSandboxPlatform(),
        new XSandboxPlatform(),
        new MediumSandboxPlatform(),
        new MastodonSandboxPlatform(),
        new BlueskySandboxPlatform(),
        new ThreadsSandboxPlatform(),
    ];

    /// <summary>The simulated platform with <paramref name="id"/>, or null when the sandbox does not simulate it.</summary>
    public static SandboxPlatform? Find(string id) => All.FirstOrDefault(platform => platform.Id == id);
}
