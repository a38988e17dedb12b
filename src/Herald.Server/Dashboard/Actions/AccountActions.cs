using Herald.Platforms.Checks;
using Herald.Server.Accounts;
using Herald.Server.Publications;
using Herald.Storage.Accounts;

namespace Herald.Server.Dashboard.Actions;

/// <summary>
/// The Accounts page's changes. They go through the same <see cref="AccountDirectory"/> as <c>POST</c> and
/// <c>DELETE /api/v1/accounts</c> (same rules, same refusals) and the same <see cref="AccountConnectionTester"/> as
/// <c>POST /api/v1/accounts/{id}/test</c>; a refusal comes back as sentences naming the field, and nothing is stored.
/// </summary>
public sealed class AccountActions(
    AccountDirectory directory, AccountConnectionTester tester, AccountTestResults tests, PostLinks links, ILogger<AccountActions> log)
{
    /// <summary>The form's labels for the API's field names.</summary>
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["platform"] = "Platform",
        ["displayName"] = "Display name",
        ["baseUrl"] = "Base URL",
        ["credentials"] = "Credentials",
        ["settings"] = "Settings",
    };

    public async Task<DashboardActionResult> AddAsync(AccountForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var problems = new List<string>();
        var credentials = (form.Credentials ?? []).Where(c => !string.IsNullOrEmpty(c.Value))
            .ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        var otherName = form.OtherCredentialName?.Trim();
        if (string.IsNullOrEmpty(otherName) != string.IsNullOrEmpty(form.OtherCredentialValue))
        {
            problems.Add("Other credential: give both its name and its value, or neither");
        }
        else if (!string.IsNullOrEmpty(otherName))
        {
            credentials[otherName] = form.OtherCredentialValue!;
        }

        var settings = ReadSettings(form.Settings, problems);
        var draft = new AccountDraft(form.Platform, form.DisplayName, credentials, settings, form.BaseUrl);
        problems.AddRange(directory.Check(draft, out _, out _).Select(Describe));
        if (problems.Count > 0)
        {
            return DashboardActionResult.Refused([.. problems]);
        }

        var result = await directory.AddAsync(draft, cancellationToken);
        switch (result.Change)
        {
            case AccountChange.Done:
                links.Note(result.Account!);
                DashboardLog.AccountChanged(log, result.Account!.Id.ToString(), "added");
                return new(result.Detail, []);
            case AccountChange.Conflict:
                return DashboardActionResult.Refused($"Display name: must be unique on the platform; {result.Detail}");
            default:
                return DashboardActionResult.Refused([.. result.Problems.Select(Describe)]);
        }
    }

    public async Task<AccountTestResponse?> TestAsync(string id, CancellationToken cancellationToken) =>
        await directory.FindAsync(id, cancellationToken) is { } account ? await tester.TestAsync(account, cancellationToken) : null;

    /// <summary>Removes the account; refused while publications wait on it unless <paramref name="cancelPending"/> (the API's <c>?cancelPending=true</c>).</summary>
    public async Task<DashboardActionResult> RemoveAsync(string id, bool cancelPending, CancellationToken cancellationToken)
    {
        if (await directory.FindAsync(id, cancellationToken) is not { } account)
        {
            return DashboardActionResult.Refused($"No account has the id '{id}' (removed meanwhile?).");
        }

        var result = await directory.DeleteAsync(account, cancelPending, cancellationToken);
        if (result.Change != AccountChange.Done)
        {
            return DashboardActionResult.Refused(result.Detail);
        }

        tests.Forget(account.Id);
        DashboardLog.AccountChanged(log, account.Id.ToString(), "removed");
        return new(result.Detail, []);
    }

    /// <summary>A verdict as a person reads it (the same words as <c>herald accounts test</c>).</summary>
    public static string Describe(AccountTestResponse test)
    {
        ArgumentNullException.ThrowIfNull(test);
        var who = test.Identity ?? test.IdentityId;
        return test.Verdict switch
        {
            AccountCheckVerdict.Works => (test.CanDoAll ? "Works: " : "Works, but cannot do all Herald needs: ") + test.Detail +
                (who is null ? "" : $" They belong to {who}.") +
                (test.Capabilities.Count == 0 ? "" : $" Can {CapabilityText.Summary(test.Capabilities)}.") +
                string.Concat(CapabilityText.Reasons(test.Capabilities).Select(r => " " + r)) +
                (CapabilityText.Fix(test.Capabilities) is { } fix ? $" To fix: {fix}." : ""),
            AccountCheckVerdict.CredentialsRefused => $"Credentials refused: {test.Detail}",
            AccountCheckVerdict.Unreachable => $"Platform unreachable: {test.Detail}",
            _ => $"Unexpected answer: {test.Detail}",
        };
    }

    private static Dictionary<string, string> ReadSettings(string? text, List<string> problems)
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var lines = (text ?? "").Split('\n').Select(l => l.Trim()).ToList();
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            var equals = lines[i].IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                problems.Add($"Settings: line {i + 1} must be key=value");
                continue;
            }

            settings[lines[i][..equals].Trim()] = lines[i][(equals + 1)..].Trim();
        }

        return settings;
    }

    private static string Describe((string Field, string Message) problem) =>
        $"{Labels.GetValueOrDefault(problem.Field, problem.Field)}: {problem.Message}";
}
