using System.Collections.Frozen;
using Herald.Accounts;
using Herald.Publications;
using Herald.Sandbox.Hosting;
using Herald.Server.Hosting;

namespace Herald.Server.Publications;

/// <summary>
/// Where a publication's post can be read, as the API, the events, the webhooks and the dashboard show it. A post made
/// on a sandbox account exists only in the sandbox, which keeps it in memory at a port that changes with every start,
/// while the adapter stored the address the real platform would have given it (x.com, bsky.app, …), where it does not
/// exist. Such a post is linked to its page on this server's sandbox while it runs one, and not linked otherwise.
/// </summary>
public sealed class PostLinks
{
    private readonly ServerSandbox _sandbox;
    private FrozenSet<AccountId> _sandboxAccounts = FrozenSet<AccountId>.Empty;

    internal PostLinks(ServerSandbox sandbox) => _sandbox = sandbox;

    /// <summary>Sets the stored accounts that publish to the sandbox (read when the server starts).</summary>
    internal void UseSandboxAccounts(IEnumerable<Account> accounts) =>
        Volatile.Write(ref _sandboxAccounts, accounts.Where(a => a.SettingFlag(Account.HostEndpointSetting, fallback: false)).Select(a => a.Id).ToFrozenSet());

    /// <summary>Takes in an account added or changed while the server runs (its sandbox setting may have changed).</summary>
    internal void Note(Account account)
    {
        FrozenSet<AccountId> current, next;
        do
        {
            current = Volatile.Read(ref _sandboxAccounts);
            next = account.SettingFlag(Account.HostEndpointSetting, fallback: false)
                ? current.Append(account.Id).ToFrozenSet()
                : current.Where(id => id != account.Id).ToFrozenSet();
        }
        while (Interlocked.CompareExchange(ref _sandboxAccounts, next, current) != current);
    }

    public Uri? Of(Publication publication) =>
        Of(publication.AccountId, publication.Platform, publication.ExternalId, publication.Url);

    public Uri? Of(AccountId account, string platform, string? externalId, Uri? stored)
    {
        if (externalId is null || !Volatile.Read(ref _sandboxAccounts).Contains(account))
        {
            return stored; // a real account's post, or one marked posted by hand with the URL given
        }

        return _sandbox.Server is { } server ? SandboxLinks.Post(server.BaseAddress, platform, externalId) : null;
    }
}
