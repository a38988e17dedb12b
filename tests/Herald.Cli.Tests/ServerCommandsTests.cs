namespace Herald.Cli.Tests;

/// <summary><c>herald keys</c> and <c>herald serve</c>, run in-process on a SQLite database of their own.</summary>
public sealed class ServerCommandsTests : IDisposable
{
    private readonly CliRun _cli = new();

    [Fact]
    public async Task Keys_CreateListRevoke_ShowTheKeyOnceAndMarkItRevoked()
    {
        var (created, output, _) = await _cli.InvokeAsync("keys", "create", "ci", "--scope", "read");
        Assert.Equal(0, created);
        var key = output.Split('\n')[0].Trim();
        Assert.StartsWith("hk_", key, StringComparison.Ordinal);
        Assert.Contains("'ci' (read)", output, StringComparison.Ordinal);

        var (_, listed, _) = await _cli.InvokeAsync("keys", "list");
        Assert.Contains(key[..11], listed, StringComparison.Ordinal);
        Assert.DoesNotContain(key, listed, StringComparison.Ordinal);

        Assert.Equal(0, (await _cli.InvokeAsync("keys", "revoke", key[..11])).ExitCode);
        Assert.Contains("REVOKED", (await _cli.InvokeAsync("keys", "list")).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_UnknownScopeOrKey_AreRefusedWithExitCode2()
    {
        var (code, _, error) = await _cli.InvokeAsync("keys", "create", "ci", "--scope", "root");
        Assert.Equal(2, code);
        Assert.Contains("scopes: unknown scope 'root'", error, StringComparison.Ordinal);
        Assert.Equal(2, (await _cli.InvokeAsync("keys", "revoke", "hk_nothing")).ExitCode);
    }

    [Fact]
    public async Task Serve_WithSandbox_StartsAndStopsCleanlyOnCtrlC()
    {
        var (code, output, error) = await _cli.InvokeCancellingAsync("Press Ctrl+C", "serve", "--sandbox", "--urls", "http://127.0.0.1:0");
        Assert.True(code == 0, error);
        Assert.Contains("Herald server on http://127.0.0.1:", output, StringComparison.Ordinal);
        Assert.Contains("Server stopped.", output, StringComparison.Ordinal);
    }

    public void Dispose() => _cli.Dispose();
}
