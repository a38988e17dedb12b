using Herald.Platforms.Checks;
using Herald.Server.Hosting;
using Herald.Server.Keys;
using Herald.Server.Problems;
using Herald.Storage.Accounts;
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
        string id, AccountDirectory directory, AccountConnectionTester tester, CancellationToken cancellationToken) =>
        await directory.FindAsync(id, cancellationToken) is { } stored
            ? TypedResults.Ok(await tester.TestAsync(stored, cancellationToken))
            : ProblemResults.NotFound("account", id);
}
