using System.Text.Json;
using Herald.Sandbox;

namespace Herald.Cli.Tests;

/// <summary><c>herald preview --sandbox</c>: what <c>post --sandbox</c> would send, for the sandbox's own accounts.</summary>
public sealed class PreviewSandboxTests
{
    [Fact]
    public async Task Preview_Sandbox_UsesTheSandboxAccountsSettings_WhereRealConfigurationWouldBeRefused()
    {
        using var run = new CliRun(new Dictionary<string, object>
        {
            // A real LinkedIn account in api mode without its author: refused for real, fine for the sandbox's.
            ["linkedin"] = new Dictionary<string, object> { ["Settings"] = new Dictionary<string, string> { ["mode"] = "api" } },
        });

        var real = await run.InvokeAsync("preview", CliRun.Example, "--to", "linkedin,mastodon", "--json");
        var sandboxed = await run.InvokeAsync("preview", CliRun.Example, "--to", "linkedin,mastodon", "--json", "--sandbox");
        var text = await run.InvokeAsync("preview", CliRun.Example, "--to", "mastodon", "--sandbox");

        Assert.Equal(0, real.ExitCode);
        var realLinkedIn = JsonDocument.Parse(real.Output).RootElement[0];
        Assert.Contains(realLinkedIn.GetProperty("problems").EnumerateArray(), p => p.GetProperty("field").GetString() == "author_urn");
        Assert.Equal(0, sandboxed.ExitCode);
        var previews = JsonDocument.Parse(sandboxed.Output).RootElement;
        Assert.Empty(previews[0].GetProperty("problems").EnumerateArray());
        Assert.Contains(SandboxAccounts.LinkedInAuthorUrn, previews[0].GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Equal(500, previews[1].GetProperty("parts")[0].GetProperty("limit").GetInt32());
        Assert.StartsWith("For the sandbox's accounts:", text.Output, StringComparison.Ordinal);
    }
}
