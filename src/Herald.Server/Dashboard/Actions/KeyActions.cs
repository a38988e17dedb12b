using Herald.Server.Keys;

namespace Herald.Server.Dashboard.Actions;

/// <summary>
/// The Settings page's API key changes, through the same <see cref="ApiKeys"/> as <c>/api/v1/keys</c> and
/// <c>herald keys</c>: the same name and scope rules, the key shown once.
/// </summary>
public sealed class KeyActions(ApiKeys keys, ILogger<KeyActions> log)
{
    /// <summary>The created key (its secret to show this once), or the refusal naming the field.</summary>
    public async Task<(CreatedApiKey? Created, string? Problem)> CreateAsync(string? name, string? scope, CancellationToken cancellationToken)
    {
        try
        {
            var created = await keys.CreateAsync(name ?? "", string.IsNullOrWhiteSpace(scope) ? [] : [scope.Trim()], cancellationToken);
            DashboardLog.KeyChanged(log, created.Info.Prefix, "created");
            return (created, null);
        }
        catch (ApiKeyInputException ex)
        {
            return (null, $"{(ex.Field == "name" ? "Name" : "Scope")}: {ex.Rule}");
        }
    }

    public async Task<DashboardActionResult> RevokeAsync(string? id, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(id) || !Guid.TryParse(id, out _) || await keys.RevokeAsync(id, cancellationToken) is not { } revoked)
        {
            return DashboardActionResult.Refused($"No API key has the id '{id}'.");
        }

        DashboardLog.KeyChanged(log, revoked.Prefix, "revoked");
        return new($"API key '{revoked.Name}' ({revoked.Prefix}…) revoked", []);
    }
}
