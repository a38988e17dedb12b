using Herald.Accounts;
using Herald.Sandbox.Hosting;
using Herald.Workers;

namespace Herald.Server.Hosting;

/// <summary>
/// The sandbox a <c>--sandbox</c> server runs in its own process, started before the workers. Sandbox accounts are
/// stored without the sandbox's port (it changes with every start), so this is also the resolver that points them
/// at it; without a sandbox they are refused with what to do, as the library's default resolver refuses them.
/// </summary>
internal sealed class ServerSandbox : IAccountEndpointResolver, IAsyncDisposable
{
    private SandboxServer? _server;

    public SandboxServer? Server => _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _server ??= await SandboxServer.StartAsync(cancellationToken: cancellationToken);
    }

    public Account? Resolve(Account account, out string? reason)
    {
        reason = null;
        if (!account.SettingFlag(Account.HostEndpointSetting, fallback: false))
        {
            return account;
        }

        if (_server is null)
        {
            reason = "This publication uses a sandbox account; start the server with --sandbox, then retry it.";
            return null;
        }

        return new Account
        {
            Id = account.Id,
            Platform = account.Platform,
            DisplayName = account.DisplayName,
            Credentials = account.Credentials,
            BaseUrl = _server.PlatformBaseUrl(account.Platform),
            Settings = account.Settings,
            CreatedAt = account.CreatedAt,
        };
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
