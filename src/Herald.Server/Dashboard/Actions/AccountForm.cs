namespace Herald.Server.Dashboard.Actions;

/// <summary>
/// What the add-account form posts. Credential values are write-only: the page never writes them back into a field,
/// not even after a refusal (the form comes back with them empty).
/// </summary>
public sealed class AccountForm
{
    public string? Platform { get; set; }

    public string? DisplayName { get; set; }

    /// <summary>The platform's credential fields, by credential key.</summary>
    public Dictionary<string, string>? Credentials { get; set; }

    /// <summary>One more credential by name, for forms the fields do not list (X's OAuth 1.0a keys, a refresh token).</summary>
    public string? OtherCredentialName { get; set; }

    public string? OtherCredentialValue { get; set; }

    /// <summary>Settings, one <c>key=value</c> a line.</summary>
    public string? Settings { get; set; }

    public string? BaseUrl { get; set; }

    /// <summary>Forgets every credential value (after a refusal, before the form is shown again).</summary>
    public void ForgetCredentials()
    {
        Credentials = null;
        OtherCredentialValue = null;
    }
}
