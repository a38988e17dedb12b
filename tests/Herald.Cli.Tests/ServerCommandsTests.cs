using Herald.Server.Dashboard;
using Herald.Server.Dashboard.Identity;
using Herald.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

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
        Assert.Contains("Dashboard: no user yet. Create the first admin at http://127.0.0.1:", output, StringComparison.Ordinal);
        Assert.Contains("/setup?token=", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsersAdd_MakesAnAdminWhosePasswordIsPrintedOnceAndStoredHashed()
    {
        var (code, output, error) = await _cli.InvokeAsync("users", "add", "ops@example.com");
        Assert.True(code == 0, error);
        var password = output.Split('\n').Single(l => l.StartsWith("Password: ", StringComparison.Ordinal))["Password: ".Length..].Trim();
        Assert.True(password.Length >= 20, password);

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHeraldStorage($"Data Source={_cli.DatabasePath}");
        services.AddHeraldDashboardData($"Data Source={_cli.DatabasePath}");
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<DashboardUser>>();
        var user = await users.FindByNameAsync("ops@example.com");
        Assert.NotNull(user);
        Assert.True(await users.CheckPasswordAsync(user, password));
        Assert.True(await users.IsInRoleAsync(user, DashboardUsers.AdminRole));
        Assert.DoesNotContain(password, user.PasswordHash, StringComparison.Ordinal);

        // The same name again is refused with the field named, and nothing is added.
        var (again, _, refused) = await _cli.InvokeAsync("users", "add", "ops@example.com");
        Assert.Equal(2, again);
        Assert.Contains("userName: ", refused, StringComparison.Ordinal);
        Assert.Equal(1, users.Users.Count());
    }

    public void Dispose() => _cli.Dispose();
}
