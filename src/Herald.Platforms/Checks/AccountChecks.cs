using Herald.Accounts;
using Herald.Platforms.Http;

namespace Herald.Platforms.Checks;

/// <summary>Turns a who-am-I answer into a verdict, the same way for every platform.</summary>
internal static class AccountChecks
{
    /// <summary>The string (or number, as text) at <paramref name="path"/> in a JSON body; null when it is not there.</summary>
    public static string? Read(string body, params string[] path) =>
        Node(body, path) is System.Text.Json.Nodes.JsonValue v ? v.ToString() : null;

    /// <summary>The strings of the JSON array at <paramref name="path"/> in a JSON body; null when there is none.</summary>
    public static IReadOnlyList<string>? ReadArray(string body, params string[] path) =>
        Node(body, path) is System.Text.Json.Nodes.JsonArray array
            ? [.. array.OfType<System.Text.Json.Nodes.JsonValue>().Select(v => v.ToString()).Where(s => s.Length > 0)]
            : null;

    private static System.Text.Json.Nodes.JsonNode? Node(string body, string[] path)
    {
        try
        {
            var node = System.Text.Json.Nodes.JsonNode.Parse(body);
            foreach (var name in path)
            {
                node = node is System.Text.Json.Nodes.JsonObject o ? o[name] : null;
            }

            return node;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>What a call that never reached the platform's who-am-I concluded (Bluesky's login, for one).</summary>
    public static AccountCheckResult From(PublishOutcome failure) => failure switch
    {
        { HttpStatus: 401 or 403 } or { Kind: PublishOutcomeKind.Permanent } => new(AccountCheckVerdict.CredentialsRefused, failure.Error ?? "The credentials were refused."),
        { Kind: PublishOutcomeKind.Transient or PublishOutcomeKind.RateLimited or PublishOutcomeKind.Unknown } => new(AccountCheckVerdict.Unreachable, failure.Error ?? "The platform could not be reached."),
        _ => new(AccountCheckVerdict.Unexpected, failure.Error ?? "The platform's answer could not be read."),
    };

    /// <summary>
    /// The who-am-I of a platform that takes one token credential: refused at once without it, else
    /// <paramref name="build"/>'s call, judged by <see cref="From(PlatformAnswer, string, string, Func{string, ValueTuple{string, string}}, Func{PlatformAnswer, bool})"/>.
    /// </summary>
    public static async Task<AccountCheckResult> WithTokenAsync(
        Account account, string credential, string platform, HttpClient client, string endpoint,
        Func<string, HttpRequestMessage> build, Func<string, (string? Identity, string? Id)> read, CancellationToken cancellationToken,
        Func<PlatformAnswer, bool>? refuses = null)
    {
        var token = account.Credentials[credential];
        if (string.IsNullOrEmpty(token))
        {
            return Missing(platform, credential);
        }

        using var message = build(token);
        using var answer = await PlatformHttp.SendAsync(client, message, platform, cancellationToken);
        return From(answer, platform, endpoint, read, refuses);
    }

    /// <summary>
    /// What working credentials may do, from a second call that lists their scopes: <paramref name="message"/> to
    /// <paramref name="endpoint"/>, whose JSON array at <paramref name="path"/> holds the scopes granted, judged
    /// against <paramref name="needs"/>. Without such an array every capability is unknown, saying why
    /// (<paramref name="unlisted"/> when the answer was a 2xx without it).
    /// </summary>
    public static async Task<AccountCheckResult> WithScopesAsync(
        AccountCheckResult works, HttpClient client, HttpRequestMessage message, string platform, string endpoint, string[] path,
        IReadOnlyList<ScopeNeed> needs, string holder, Func<string, string> fix, string unlisted, CancellationToken cancellationToken)
    {
        using var request = message;
        using var answer = await PlatformHttp.SendAsync(client, request, platform, cancellationToken);
        var answered = answer.Failure is null && answer.IsSuccess;
        var scopes = answered ? ReadArray(answer.Body, path) : null;
        if (scopes is null)
        {
            var why = answered ? unlisted
                : $"{endpoint} answered {(answer.Failure is null ? $"HTTP {answer.Status}" : "nothing")}";
            return works with
            {
                Capabilities = ScopeJudge.All(needs.Select(n => n.Capability), CapabilityAnswer.Unknown,
                    $"Not known: {why}; the first post that needs it tells."),
            };
        }

        return works with { GrantedScopes = scopes, Capabilities = ScopeJudge.Judge(scopes, needs, holder, fix) };
    }

    public static AccountCheckResult Missing(string platform, string credential) =>
        new(AccountCheckVerdict.CredentialsRefused, $"The {platform} account has no '{credential}' credential.");

    /// <summary>
    /// The verdict of <paramref name="answer"/> to <paramref name="endpoint"/>: a 2xx whose body names the identity
    /// (<paramref name="read"/> gives the handle and id) works; 401/403 is a refusal; no answer, 5xx or 429 is unreachable.
    /// </summary>
    public static AccountCheckResult From(
        PlatformAnswer answer, string platform, string endpoint, Func<string, (string? Identity, string? Id)> read, Func<PlatformAnswer, bool>? refuses = null)
    {
        if (answer.Failure is { } failure)
        {
            // Permanent: Herald refused to send (credentials over plain http to another machine); else no answer came.
            return new(failure.Kind == PublishOutcomeKind.Permanent ? AccountCheckVerdict.Unexpected : AccountCheckVerdict.Unreachable, failure.Error ?? $"{platform} could not be reached.");
        }

        var status = answer.Status;
        if (answer.IsSuccess)
        {
            var (identity, id) = read(answer.Body);
            return identity is { Length: > 0 } || id is { Length: > 0 }
                ? new(AccountCheckVerdict.Works, $"{platform} accepted the credentials ({endpoint}).", identity, id)
                : new(AccountCheckVerdict.Unexpected, $"{platform} answered {endpoint} (HTTP {status}) without naming the account.");
        }

        if (status is 401 or 403 || refuses?.Invoke(answer) == true)
        {
            return new(AccountCheckVerdict.CredentialsRefused, $"{platform} refused the credentials: {endpoint} answered HTTP {status}.");
        }

        return status is 429 or >= 500
            ? new(AccountCheckVerdict.Unreachable, $"{platform} is not available: {endpoint} answered HTTP {status}.")
            : new(AccountCheckVerdict.Unexpected, $"{platform} answered {endpoint} with HTTP {status}.");
    }
}
