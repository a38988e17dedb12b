using Herald.Platforms.Checks;
using Herald.Server.Hosting;
using Herald.Server.Keys;
using Herald.Server.Problems;
using Herald.Storage.Accounts;
using Herald.Workers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Herald.Server.Accounts;

/// <summary>The answer of <c>POST /accounts/{id}/test</c>: the verdict, in words, and whose credentials the platform says they are.</summary>
public sealed record AccountTestResponse(
    string AccountId, string Platform, AccountCheckVerdict Verdict, string Detail, string? Identity, string? IdentityId, DateTimeOffset CheckedAt);

/// <summary><c>POST /api/v1/accounts/{id}/test</c>: one who-am-I call on the account's platform (or the sandbox), nothing posted.</summary>
internal static class AccountTestApi
{
    public static RouteGroupBuilder MapAccountTestApi(this RouteGroupBuilder accounts)
    {
        accounts.MapPost("/{id}/test", TestAsync).RequireScope(ApiScopes.Write)
            .WithSummary("Asks the platform whose the account's credentials are: works, credentials refused, or platform unreachable.");
        return accounts;
    }

    private static async Task<Results<Ok<AccountTestResponse>, ProblemHttpResult>> TestAsync(
        string id, AccountDirectory directory, IAccountEndpointResolver endpoints, AccountChecker checker, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await directory.FindAsync(id, cancellationToken) is not { } stored)
        {
            return ProblemResults.NotFound("account", id);
        }

        var result = endpoints.Resolve(stored, out var reason) is { } account
            ? await checker.CheckAsync(account, cancellationToken)
            : new AccountCheckResult(AccountCheckVerdict.Unreachable, reason ?? "This server cannot reach the account's endpoint.");
        return TypedResults.Ok(new AccountTestResponse(
            stored.Id.ToString(), stored.Platform, result.Verdict, result.Detail, result.Identity, result.IdentityId, clock.GetUtcNow()));
    }
}
