using Herald.Accounts;
using Herald.Platforms;
using Herald.Publications;
using Herald.Scheduling;
using Herald.Server.Hosting;
using Herald.Server.Keys;
using Herald.Server.Problems;
using Herald.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Herald.Server.Accounts;

/// <summary><c>/api/v1/accounts</c>: several accounts per platform, credentials write-only.</summary>
internal static class AccountsApi
{
    private static readonly PublicationStatus[] Pending =
        [PublicationStatus.Scheduled, PublicationStatus.RetryScheduled, PublicationStatus.AwaitingManualAction, PublicationStatus.Publishing];

    public static RouteGroupBuilder MapAccountsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/accounts").WithTags("Accounts");
        group.MapGet("/", async (AccountDirectory directory, CancellationToken ct) =>
            {
                var renewed = await directory.CredentialsRenewedAsync(ct);
                return TypedResults.Ok((await directory.ListAsync(ct)).Select(a => AccountResponse.From(a, renewed.GetValueOrDefault(a.Id))).ToList());
            })
            .RequireScope(ApiScopes.Read).WithSummary("Lists the accounts (never a credential).");
        group.MapGet("/{id}", async Task<Results<Ok<AccountResponse>, ProblemHttpResult>> (string id, AccountDirectory directory, CancellationToken ct) =>
                await directory.FindAsync(id, ct) is { } account
                    ? TypedResults.Ok(AccountResponse.From(account, await directory.CredentialsRenewedAsync(account.Id, ct)))
                    : ProblemResults.NotFound("account", id))
            .RequireScope(ApiScopes.Read).WithSummary("One account (never a credential).");
        group.MapPost("/", CreateAsync).RequireScope(ApiScopes.Write)
            .WithSummary("Adds an account: platform, display name, credentials (write-only), settings, base URL.")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapPatch("/{id}", UpdateAsync).RequireScope(ApiScopes.Write)
            .WithSummary("Changes an account's name, credentials, settings or base URL; only what is given changes.")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapDelete("/{id}", DeleteAsync).RequireScope(ApiScopes.Write)
            .WithSummary("Deletes an account; refused while publications wait on it, unless cancelPending=true cancels them.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapAccountTestApi();
        return api;
    }

    private static async Task<Results<Created<AccountResponse>, ProblemHttpResult>> CreateAsync(
        CreateAccountRequest request, PlatformRegistry registry, HeraldDbContext db, IPublicationStore store, AccountDirectory directory, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var problems = new List<(string, string)>();
        IPlatformAdapter? adapter = null;
        if (string.IsNullOrWhiteSpace(request.Platform))
        {
            problems.Add(("platform", $"is required; known platforms: {string.Join(", ", registry.PlatformIds)}"));
        }
        else if (!registry.TryResolve(request.Platform, out adapter))
        {
            problems.Add(("platform", $"unknown platform '{request.Platform}'; known platforms: {string.Join(", ", registry.PlatformIds)}"));
        }

        var name = request.DisplayName?.Trim() ?? "";
        if (name.Length is 0 or > 200)
        {
            problems.Add(("displayName", "must be 1 to 200 characters"));
        }

        var baseUrl = ReadBaseUrl(request.BaseUrl, problems);
        ReadPairs(request.Credentials, "credentials", problems);
        ReadPairs(request.Settings, "settings", problems);
        if (problems.Count > 0 || adapter is null)
        {
            return ProblemResults.Invalid(problems);
        }

        var platform = adapter.Platform.Id;
        var existing = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Platform == platform && a.DisplayName == name, cancellationToken);
        if (existing is not null && !AccountDirectory.IsDeleted(existing))
        {
            return ProblemResults.Conflict("The account exists", $"{adapter.Platform.DisplayName} already has an account named '{name}' ({existing.Id}); change it with PATCH.");
        }

        var stored = await store.UpsertAccountAsync(new Account
        {
            Platform = platform,
            DisplayName = name,
            BaseUrl = baseUrl,
            Credentials = new AccountCredentials(request.Credentials ?? new Dictionary<string, string>()),
            Settings = new Dictionary<string, string>(request.Settings ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase),
            CreatedAt = clock.GetUtcNow(),
        }, cancellationToken);
        var now = clock.GetUtcNow();
        await directory.MarkCredentialsRenewedAsync(stored, now, cancellationToken);
        return TypedResults.Created($"/api/v1/accounts/{stored.Id}", AccountResponse.From(stored, now));
    }

    private static async Task<Results<Ok<AccountResponse>, ProblemHttpResult>> UpdateAsync(
        string id, UpdateAccountRequest request, AccountDirectory directory, HeraldDbContext db, IPublicationStore store, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (await directory.FindAsync(id, cancellationToken) is not { } account)
        {
            return ProblemResults.NotFound("account", id);
        }

        var problems = new List<(string, string)>();
        var name = request.DisplayName?.Trim();
        if (name is { Length: 0 or > 200 })
        {
            problems.Add(("displayName", "must be 1 to 200 characters"));
        }

        var baseUrl = request.BaseUrl is null ? account.BaseUrl : ReadBaseUrl(request.BaseUrl, problems);
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
        if (name is not null && name != account.DisplayName)
        {
            db.Entry(updated).Property(a => a.DisplayName).CurrentValue = name;
            await db.SaveChangesAsync(cancellationToken);
        }

        if (request.Credentials is not null)
        {
            await directory.MarkCredentialsRenewedAsync(updated, clock.GetUtcNow(), cancellationToken);
        }

        return TypedResults.Ok(AccountResponse.From(updated, await directory.CredentialsRenewedAsync(updated.Id, cancellationToken)));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string id, AccountDirectory directory, HeraldDbContext db, IPublicationStore store, IPublicationScheduler scheduler,
        bool? cancelPending, CancellationToken cancellationToken)
    {
        if (await directory.FindAsync(id, cancellationToken) is not { } account)
        {
            return ProblemResults.NotFound("account", id);
        }

        var pending = await db.Publications.AsNoTracking()
            .Where(p => p.AccountId == account.Id && Pending.Contains(p.Status)).ToListAsync(cancellationToken);
        if (pending.Count > 0 && cancelPending != true)
        {
            return ProblemResults.Conflict("Publications are waiting",
                $"{pending.Count} publication(s) wait on this account; cancel them first, or delete with ?cancelPending=true.");
        }

        if (pending.FirstOrDefault(p => p.Status == PublicationStatus.Publishing) is { } sending)
        {
            return ProblemResults.Conflict("A publication is being sent", $"Publication {sending.Id} is being sent on this account right now; try again when it is done.");
        }

        foreach (var publication in pending)
        {
            await scheduler.CancelAsync(publication.Id, cancellationToken);
        }

        if (await db.Publications.AnyAsync(p => p.AccountId == account.Id, cancellationToken))
        {
            // Its publications' history names it: the row stays, without credentials, and is no longer offered.
            var settings = new Dictionary<string, string>(account.Settings, StringComparer.OrdinalIgnoreCase) { [AccountDirectory.DeletedSetting] = "true" };
            await store.UpsertAccountAsync(new Account
            {
                Id = account.Id,
                Platform = account.Platform,
                DisplayName = account.DisplayName,
                Settings = settings,
                CreatedAt = account.CreatedAt,
            }, cancellationToken);
        }
        else
        {
            await db.Accounts.Where(a => a.Id == account.Id).ExecuteDeleteAsync(cancellationToken);
        }

        return TypedResults.NoContent();
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

    private static Uri? ReadBaseUrl(string? text, List<(string, string)> problems)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        // Every call carries credentials: https, or plain http only to this machine (a sandbox).
        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == "https" || (url.Scheme == "http" && url.IsLoopback)))
        {
            return url;
        }

        problems.Add(("baseUrl", "must be an absolute https URL (plain http only to a loopback address)"));
        return null;
    }

    private static void ReadPairs(IReadOnlyDictionary<string, string>? pairs, string field, List<(string, string)> problems)
    {
        foreach (var key in pairs?.Keys ?? [])
        {
            if (string.IsNullOrWhiteSpace(key) || key.Length > 100)
            {
                problems.Add((field, "every key must be 1 to 100 characters"));
                return;
            }
        }
    }
}
