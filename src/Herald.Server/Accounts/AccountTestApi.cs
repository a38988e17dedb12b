using Herald.Platforms.Checks;
using Herald.Server.Hosting;
using Herald.Server.Keys;
using Herald.Server.Problems;
using Herald.Storage.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Herald.Server.Accounts;

/// <summary>
/// The answer of <c>POST /accounts/{id}/test</c>: the verdict, in words, whose credentials the platform says they
/// are, and what they can do: each capability Herald needs on the platform (<see cref="Capabilities"/>, yes, no or
/// unknown with the reason), the scopes the platform said they carry (<see cref="GrantedScopes"/>, absent when it did
/// not say) and those missing (<see cref="MissingScopes"/>). <see cref="CanDoAll"/> is false when the credentials
/// do not work or lack something Herald needs.
/// </summary>
public sealed record AccountTestResponse(
    string AccountId, string Platform, AccountCheckVerdict Verdict, string Detail, string? Identity, string? IdentityId, DateTimeOffset CheckedAt)
{
    public IReadOnlyList<CapabilityCheck> Capabilities { get; init; } = [];

    public IReadOnlyList<string>? GrantedScopes { get; init; }

    public IReadOnlyList<string> MissingScopes => CapabilityText.Missing(Capabilities);

    public bool CanDoAll => CapabilityText.CanDoAll(Verdict, Capabilities);

    internal static AccountTestResponse From(Herald.Accounts.Account account, AccountCheckResult result, DateTimeOffset checkedAt) =>
        new(account.Id.ToString(), account.Platform, result.Verdict, result.Detail, result.Identity, result.IdentityId, checkedAt)
        {
            Capabilities = result.Capabilities,
            GrantedScopes = result.GrantedScopes,
        };
}

/// <summary><c>POST /api/v1/accounts/{id}/test</c>: one who-am-I call on the account's platform (or the sandbox), nothing posted.</summary>
internal static class AccountTestApi
{
    public static RouteGroupBuilder MapAccountTestApi(this RouteGroupBuilder accounts)
    {
        accounts.MapPost("/{id}/test", TestAsync).RequireScope(ApiScopes.Write)
            .WithSummary("Asks the platform whose the account's credentials are (works, credentials refused, or platform unreachable) and what they can do: post, upload images, read posts back.");
        return accounts;
    }

    private static async Task<Results<Ok<AccountTestResponse>, ProblemHttpResult>> TestAsync(
        string id, AccountDirectory directory, AccountConnectionTester tester, CancellationToken cancellationToken) =>
        await directory.FindAsync(id, cancellationToken) is { } stored
            ? TypedResults.Ok(await tester.TestAsync(stored, cancellationToken))
            : ProblemResults.NotFound("account", id);
}
