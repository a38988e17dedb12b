using Herald.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Storage;

/// <summary>Stores renewed credentials, encrypted like all credentials; a scope of its own per save, so singletons can call it.</summary>
internal sealed class AccountCredentialsStore(IServiceScopeFactory scopes) : IAccountCredentialsStore
{
    public async Task SaveCredentialsAsync(AccountId accountId, AccountCredentials credentials, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeraldDbContext>();
        var account = await db.Accounts.FirstOrDefaultAsync(a => a.Id == accountId, cancellationToken)
            ?? throw new InvalidOperationException($"Account {accountId} does not exist; its renewed credentials cannot be kept.");
        db.Entry(account).Property(a => a.Credentials).CurrentValue = new AccountCredentials(credentials);
        await db.SaveChangesAsync(cancellationToken);
    }
}
