using Herald.Accounts;

namespace Herald.Workers;

/// <summary>
/// Where an account's API lives in this process. A host may store accounts whose endpoint only it knows — the
/// CLI stores sandbox accounts without the sandbox's port, because the sandbox of the process that scheduled them
/// is gone when a worker in another process publishes — and registers a resolver that points them at it, or
/// refuses them with the reason.
/// </summary>
public interface IAccountEndpointResolver
{
    /// <summary>The account ready to call, or null when this process cannot serve it (the reason in <paramref name="reason"/>).</summary>
    Account? Resolve(Account account, out string? reason);
}

/// <summary>
/// The library's default: accounts are called as they are stored, except one whose endpoint only its host knows
/// (<see cref="Account.NeedsHostEndpoint"/>), which is refused rather than sent to the platform's public address.
/// </summary>
internal sealed class DefaultAccountEndpointResolver : IAccountEndpointResolver
{
    public Account? Resolve(Account account, out string? reason)
    {
        if (account.NeedsHostEndpoint)
        {
            reason = "This account's endpoint is supplied by the host that stored it (a sandbox account), and this process has none for it.";
            return null;
        }

        reason = null;
        return account;
    }
}
