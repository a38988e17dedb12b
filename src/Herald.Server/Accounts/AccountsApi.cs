using Herald.Accounts;
using Herald.Publications;
using Herald.Server.Hosting;
using Herald.Server.Keys;
using Herald.Server.Problems;
using Herald.Server.Publications;
using Herald.Storage;
using Herald.Storage.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Herald.Server.Accounts;

/// <summary><c>/api/v1/accounts</c>: several accounts per platform, credentials write-only.</summary>
internal static class AccountsApi
{
    public static RouteGroupBuilder MapAccountsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/accounts").WithTags("Accounts");
        group.MapGet("/", async (AccountDirectory directory, CancellationToken ct) =>
            {
                var dates = await directory.CredentialDatesAsync(ct);
                return TypedResults.Ok((await directory.ListAsync(ct)).Select(a => AccountResponse.From(a, dates.GetValueOrDefault(a.Id))).ToList());
            })
            .RequireScope(ApiScopes.Read).WithSummary("Lists the accounts (never a credential).");
        group.MapGet("/{id}", async Task<Results<Ok<AccountResponse>, ProblemHttpResult>> (string id, AccountDirectory directory, CancellationToken ct) =>
                await directory.FindAsync(id, ct) is { } account
                    ? TypedResults.Ok(AccountResponse.From(account, await directory.CredentialDatesAsync(account.Id, ct)))
                    : ProblemResults.NotFound("account", id))
            .RequireScope(ApiScopes.Read).WithSummary("One account (never a credential).");
        group.MapPost("/", CreateAsync).RequireScope(ApiScopes.Write)
            .WithSummary("Adds an account: platform, display name, credentials (write-only), settings, base URL, token expiry.")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapPatch("/{id}", UpdateAsync).RequireScope(ApiScopes.Write)
            .WithSummary("Changes an account's name, credentials, settings, base URL or token expiry; only what is given changes.")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapDelete("/{id}", DeleteAsync).RequireScope(ApiScopes.Write)
            .WithSummary("Deletes an account; refused while publications wait on it, unless cancelPending=true cancels them.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapAccountTestApi();
        return api;
    }

    private static async Task<Results<Created<AccountResponse>, ProblemHttpResult>> CreateAsync(
        CreateAccountRequest request, AccountDirectory directory, PostLinks links, CancellationToken cancellationToken)
    {
        var result = await directory.AddAsync(
            new AccountDraft(request.Platform, request.DisplayName, request.Credentials, request.Settings, request.BaseUrl, request.TokenExpiresAt),
            cancellationToken);
        if (result.Account is { } added)
        {
            links.Note(added);
        }

        return result.Change switch
        {
            AccountChange.Invalid => ProblemResults.Invalid(result.Problems),
            AccountChange.Conflict => ProblemResults.Conflict("The account exists", result.Detail + " Change it with PATCH."),
            _ => TypedResults.Created($"/api/v1/accounts/{result.Account!.Id}",
                AccountResponse.From(result.Account, await directory.CredentialDatesAsync(result.Account.Id, cancellationToken))),
        };
    }

    private static async Task<Results<Ok<AccountResponse>, ProblemHttpResult>> UpdateAsync(
        string id, UpdateAccountRequest request, AccountDirectory directory, HeraldDbContext db, IPublicationStore store, PostLinks links,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await directory.FindAsync(id, cancellationToken) is not { } account)
        {
            return ProblemResults.NotFound("account", id);
        }

        var problems = new List<(string Field, string Message)>();
        var name = request.DisplayName?.Trim();
        if (name is { Length: 0 or > 200 })
        {
            problems.Add(("displayName", "must be 1 to 200 characters"));
        }

        var baseUrl = request.BaseUrl is null ? account.BaseUrl : AccountDirectory.ReadBaseUrl(request.BaseUrl, problems);
        AccountDirectory.CheckSettingValues(request.Settings, problems);
        var tokenExpiresAt = TokenExpiry.Read(request.TokenExpiresAt, problems);
        if (problems.Count > 0)
        {
            return ProblemResults.Invalid(problems);
        }

        if (name is not null && name != account.DisplayName &&
            await db.Accounts.AnyAsync(a => a.Platform == account.Platform && a.DisplayName == name, cancellationToken))
        {
            return ProblemResults.Conflict("The name is taken", $"Another {account.Platform} account is named '{name}'.");
        }

        // Unreadable credentials (another key, a damaged row) are replaced by what is given, never merged.
        var credentials = account.Credentials.UnreadableReason is null ? Merge(account.Credentials, request.Credentials) : Merge([], request.Credentials);
        var updated = await store.UpsertAccountAsync(new Account
        {
            Id = account.Id,
            Platform = account.Platform,
            DisplayName = account.DisplayName,
            BaseUrl = baseUrl,
            Credentials = request.Credentials is null ? account.Credentials : new AccountCredentials(credentials),
            Settings = new Dictionary<string, string>(Merge(account.Settings, request.Settings), StringComparer.OrdinalIgnoreCase),
            CreatedAt = account.CreatedAt,
        }, cancellationToken);
        links.Note(updated);
        if (name is not null && name != account.DisplayName)
        {
            db.Entry(updated).Property(a => a.DisplayName).CurrentValue = name;
            await db.SaveChangesAsync(cancellationToken);
        }

        if (request.Credentials is not null)
        {
            await directory.MarkCredentialsRenewedAsync(updated, clock.GetUtcNow(), tokenExpiresAt, cancellationToken);
        }
        else if (tokenExpiresAt is { } expiresAt)
        {
            await directory.SetTokenExpiresAtAsync(updated, expiresAt, cancellationToken);
        }

        return TypedResults.Ok(AccountResponse.From(updated, await directory.CredentialDatesAsync(updated.Id, cancellationToken)));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string id, AccountDirectory directory, bool? cancelPending, CancellationToken cancellationToken)
    {
        if (await directory.FindAsync(id, cancellationToken) is not { } account)
        {
            return ProblemResults.NotFound("account", id);
        }

        var result = await directory.DeleteAsync(account, cancelPending == true, cancellationToken);
        return result.Change == AccountChange.Done
            ? TypedResults.NoContent()
            : ProblemResults.Conflict("The account cannot be deleted now", result.Detail.Replace(
                "or delete it with the pending ones cancelled", "or delete with ?cancelPending=true", StringComparison.Ordinal));
    }

    private static Dictionary<string, string> Merge(IEnumerable<KeyValuePair<string, string>> current, IReadOnlyDictionary<string, string?>? changes)
    {
        var merged = new Dictionary<string, string>(current, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in changes ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                merged.Remove(key);
            }
            else
            {
                merged[key] = value;
            }
        }

        return merged;
    }
}
