using System.Collections.Frozen;
using Herald.Accounts;
using Herald.Publications;
using Herald.Sandbox.Hosting;
using Herald.Server.Hosting;
using Herald.Storage;
using Microsoft.EntityFrameworkCore;

namespace Herald.Server.Publications;

/// <summary>
/// Where a publication's post can be read, as the API, the events, the webhooks and the dashboard show it. A post made
/// on a sandbox account exists only in the sandbox, which keeps it in memory at a port that changes with every start,
/// while the adapter stored the address the real platform would have given it (x.com, bsky.app, …), where it does not
/// exist. Such a post is linked to its page on this server's sandbox while it runs one, and not linked otherwise.
/// </summary>
/// <remarks>
/// Which accounts publish to the sandbox is read from the database, again whenever the last reading is older than
/// <see cref="Freshness"/>, because accounts are added not only here but by the CLI and by other nodes.
/// </remarks>
public sealed class PostLinks
{
    private static readonly TimeSpan Freshness = TimeSpan.FromSeconds(5);

    private readonly ServerSandbox _sandbox;
    private FrozenSet<AccountId> _sandboxAccounts = FrozenSet<AccountId>.Empty;
    private long _readAt = -1; // Environment.TickCount64 of the last reading; -1 before the first

    internal PostLinks(ServerSandbox sandbox) => _sandbox = sandbox;

    /// <summary>Reads the sandbox accounts again if the last reading is older than <see cref="Freshness"/>.</summary>
    public async ValueTask RefreshAsync(HeraldDbContext db, CancellationToken cancellationToken)
    {
        var now = Environment.TickCount64;
        var readAt = Volatile.Read(ref _readAt);
        if (readAt >= 0 && now - readAt < Freshness.TotalMilliseconds)
        {
            return;
        }

        var accounts = await db.Accounts.AsNoTracking().Select(a => new { a.Id, a.Settings }).ToListAsync(cancellationToken);
        Volatile.Write(ref _sandboxAccounts, accounts.Where(a => IsSandbox(a.Settings)).Select(a => a.Id).ToFrozenSet());
        Volatile.Write(ref _readAt, now);
    }

    /// <summary>Takes in an account added or changed here at once (its sandbox setting may have changed).</summary>
    internal void Note(Account account)
    {
        FrozenSet<AccountId> current, next;
        do
        {
            current = Volatile.Read(ref _sandboxAccounts);
            next = IsSandbox(account.Settings)
                ? current.Append(account.Id).ToFrozenSet()
                : current.Where(id => id != account.Id).ToFrozenSet();
        }
        while (Interlocked.CompareExchange(ref _sandboxAccounts, next, current) != current);
    }

    public Uri? Of(Publication publication) =>
        Of(publication.AccountId, publication.Platform, publication.ExternalId, publication.Url);

    public Uri? Of(PublicationSummary publication) =>
        Of(publication.AccountId, publication.Platform, publication.ExternalId, publication.Url);

    public Uri? Of(AccountId account, string platform, string? externalId, Uri? stored)
    {
        if (externalId is null || !Volatile.Read(ref _sandboxAccounts).Contains(account))
        {
            return stored; // a real account's post, or one marked posted by hand with the URL given
        }

        return _sandbox.Server is { } server ? SandboxLinks.Post(server.BaseAddress, platform, externalId) : null;
    }

    /// <summary>The sandbox flag as stored; a value that is not true or false (refused on input since) counts as false.</summary>
    private static bool IsSandbox(IReadOnlyDictionary<string, string> settings) =>
        settings.FirstOrDefault(s => s.Key.Equals(Account.HostEndpointSetting, StringComparison.OrdinalIgnoreCase)).Value is { } value &&
        bool.TryParse(value, out var flag) && flag;
}
