using Herald.Accounts;
using Herald.Storage.Security;

namespace Herald.Server.Webhooks;

/// <summary>
/// Webhook secrets at rest: encrypted with the same key and scheme as account credentials (AES-GCM, see
/// <see cref="CredentialProtector"/>), the webhook's id sealed inside, so a secret copied into another webhook's row
/// is refused.
/// </summary>
internal sealed class WebhookSecrets(CredentialProtector protector)
{
    private const string SecretKey = "secret";
    private const string WebhookKey = "webhook";

    public string Protect(Guid webhookId, string secret) =>
        protector.Protect(new AccountCredentials(new Dictionary<string, string> { [SecretKey] = secret, [WebhookKey] = webhookId.ToString("N") }));

    /// <summary>The secret, or null when it cannot be read with this key or belongs to another webhook.</summary>
    public string? Unprotect(Guid webhookId, string stored)
    {
        try
        {
            var values = protector.Unprotect(stored);
            return values[WebhookKey] == webhookId.ToString("N") ? values[SecretKey] : null;
        }
        catch (CredentialsUnreadableException)
        {
            return null;
        }
    }
}
