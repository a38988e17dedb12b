using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Herald.Accounts;
using Herald.Contents;
using Herald.Formatting.Text;
using Herald.Platforms.Http;
using Herald.Validation;
using Microsoft.Extensions.Options;

namespace Herald.Platforms.Mastodon;

/// <summary>
/// Publishes statuses to any Mastodon instance (PLATFORMS.md §6): <c>POST /api/v1/statuses</c> with the
/// account's access token, the account's base URL being its instance.
/// </summary>
/// <remarks>
/// The text is composed by <see cref="ShortForm"/> with Mastodon's own count (graphemes, links count
/// <c>characters_reserved_per_url</c>, <c>@user@server</c> counts as <c>@user</c>) against the instance's
/// <c>max_characters</c>, read from <c>GET /api/v2/instance</c>. A text over the limit becomes a thread:
/// each part replies to the previous one (<c>in_reply_to_id</c>). Every create carries an
/// <c>Idempotency-Key</c>: the publication's key for the first part, the key and <c>-n</c> for part n, the
/// same on every try, so a resend after a lost answer gets the status Mastodon already made instead of a
/// second one. Settings: <c>visibility</c> (public, unlisted, private or direct; default public),
/// <c>spoiler_text</c> (a content warning on every part) and <c>language</c> (used when the content names
/// none).
/// </remarks>
internal sealed class MastodonAdapter : IPlatformAdapter
{
    internal const string HttpClientName = "Herald.Mastodon";
    internal const string PlatformId = "mastodon";
    internal const string AccessTokenCredential = "access_token";

    private const string DisplayName = "Mastodon";
    private const string StatusesPath = "api/v1/statuses";
    private static readonly string[] Visibilities = ["public", "unlisted", "private", "direct"];

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly TimeProvider _timeProvider;
    private readonly MastodonOptions _options;
    private readonly MastodonInstanceLimits _limits;
    private readonly ContentLimits _contentLimits;

    public MastodonAdapter(IHttpClientFactory httpClientFactory, IOptions<MastodonOptions> options, TimeProvider timeProvider, ContentLimits contentLimits)
    {
        _contentLimits = contentLimits;
        _httpClientFactory = httpClientFactory;
        _timeProvider = timeProvider;
        _options = options.Value;
        _limits = new MastodonInstanceLimits(timeProvider, _options.InstanceLimitsLifetime);
        Platform = new PlatformDescriptor
        {
            Id = PlatformId,
            DisplayName = DisplayName,
            Aliases = ["toot", "masto"],
            DefaultBaseUrl = _options.DefaultBaseUrl,
            Capabilities = new PlatformCapabilities
            {
                Format = BodyFormat.PlainText,
                MaxTextLength = MastodonLimits.Default.MaxCharacters,
                Counting = TextCounting.Graphemes,
                MaxTags = ShortForm.DefaultMaxHashtags,
                SupportsCanonicalUrl = false,
                SupportsThreads = true,
                CanReconcile = true,
                // The per-account status creation limit, 300 per 3 hours (PLATFORMS.md §6, "Rate limits").
                DefaultRateLimit = new RateLimitDefault(300, TimeSpan.FromHours(3)),
            },
        };
    }

    public PlatformDescriptor Platform { get; }

    public IReadOnlyList<ValidationProblem> Validate(Content content, Account account)
    {
        var problems = new List<ValidationProblem>();
        void Problem(string field, string message) => problems.Add(new ValidationProblem(field, message, PlatformId));

        if (!account.Credentials.Has(AccessTokenCredential))
        {
            Problem(AccessTokenCredential, "is required: give the account an access token of its instance with the write:statuses scope (MASTODON_ACCESS_TOKEN)");
        }

        if (account.BaseUrl is { } instance && !PlatformHttp.IsHttpUrl(instance))
        {
            Problem("base_url", $"must be the instance's absolute https URL, such as https://mastodon.social (not '{instance}')");
        }

        if (VisibilityOf(account) is null)
        {
            Problem("visibility", $"must be one of {string.Join(", ", Visibilities)}, not '{account.Setting("visibility")}'");
        }

        var limits = _limits.Known(InstanceOf(account));
        var composed = Compose(content, account, limits);
        if (!composed.Succeeded)
        {
            Problem("body", $"cannot be cut into Mastodon posts of {limits.MaxCharacters} characters: {composed.Error}");
        }
        else if (composed.Parts.Count == 0 || composed.Parts.All(string.IsNullOrWhiteSpace))
        {
            Problem("body", "has no text to post on Mastodon");
        }

        return problems;
    }

    public RenderedPayload Render(Content content, Account account)
    {
        var limits = _limits.Known(InstanceOf(account));
        var counter = Counter(account, limits);
        var composed = Compose(content, account, limits);
        var parts = new List<RenderedPart>();
        for (var index = 0; index < composed.Parts.Count; index++)
        {
            var text = composed.Parts[index];
            var count = counter.Count(text);

            // The id a later part replies to exists only once the part before it is posted.
            var replyTo = index == 0 ? null : string.Create(CultureInfo.InvariantCulture, $"{{id of part {index}}}");
            parts.Add(new RenderedPart(text, count.Count, count.Limit, count.Unit)
            {
                Body = Serialize(BuildRequest(text, replyTo, content, account)),
            });
        }

        return new RenderedPayload("application/json", parts.Count > 0 ? parts[0].Body! : "", "POST /api/v1/statuses") { Parts = parts };
    }

    public async Task<PublishOutcome> PublishAsync(PublishRequest request, CancellationToken cancellationToken = default)
    {
        var account = request.Account;
        var token = account.Credentials[AccessTokenCredential];
        if (string.IsNullOrEmpty(token))
        {
            return PublishOutcome.Permanent("The Mastodon account has no access token: set MASTODON_ACCESS_TOKEN or the account's access_token credential.");
        }

        if (VisibilityOf(account) is null)
        {
            return PublishOutcome.Permanent($"Mastodon account setting 'visibility' must be one of {string.Join(", ", Visibilities)}.");
        }

        var client = _httpClientFactory.CreateClient(HttpClientName);
        var instance = InstanceOf(account);
        var limits = await _limits.GetAsync(client, instance, token, cancellationToken);
        var composed = Compose(request.Content, account, limits);
        if (!composed.Succeeded || composed.Parts.Count == 0)
        {
            return PublishOutcome.Permanent(
                $"The text cannot be cut into Mastodon posts of {limits.MaxCharacters} characters: {composed.Error ?? "it is empty"}.");
        }

        var parts = composed.Parts;
        var confirmed = request.ConfirmedParts;
        if (confirmed.Count >= parts.Count)
        {
            return PublishOutcome.Published(confirmed[0], await StatusUrlAsync(client, instance, token, confirmed[0], cancellationToken));
        }

        string? firstId = confirmed.Count > 0 ? confirmed[0] : null;
        Uri? firstUrl = null;
        var previousId = confirmed.Count > 0 ? confirmed[^1] : null;
        TimeSpan? exhausted = null;
        for (var index = confirmed.Count; index < parts.Count; index++)
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, PlatformHttp.Combine(instance, StatusesPath))
            {
                Content = new StringContent(Serialize(BuildRequest(parts[index], previousId, request.Content, account)), Encoding.UTF8, "application/json"),
            };
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            message.Headers.TryAddWithoutValidation("Idempotency-Key", IdempotencyKey(request.IdempotencyKey, index + 1));
            message.Headers.UserAgent.Add(new ProductInfoHeaderValue("Herald", "1.0"));

            using var answer = await PlatformHttp.SendAsync(client, message, DisplayName, cancellationToken);
            if (answer.Failure is { } failure)
            {
                return failure;
            }

            if (!answer.IsSuccess)
            {
                var retryAfter = MastodonErrors.UntilReset(answer.Header("X-RateLimit-Reset"), _timeProvider.GetUtcNow()) ??
                                 HttpOutcomes.RetryAfter(answer.Response, _timeProvider);
                return MastodonErrors.Classify(answer.Response.StatusCode, answer.Body, retryAfter);
            }

            var status = PlatformHttp.TryDeserialize<MastodonStatus>(answer.Body);
            if (string.IsNullOrEmpty(status?.Id))
            {
                return PublishOutcome.Unknown(
                    $"Mastodon accepted part {index + 1} (HTTP {answer.Status}) but its answer had no status id; the status may exist.", answer.Status);
            }

            // Stored before the next part is sent, so a resumed thread replies to this one.
            await request.OnPartConfirmed(status.Id, cancellationToken);
            if (index == 0)
            {
                firstId = status.Id;
                firstUrl = PlatformHttp.ParseAbsolute(status.Url);
            }

            previousId = status.Id;
            // No requests left on the account: hold back until X-RateLimit-Reset (an ISO timestamp, PLATFORMS.md §6).
            exhausted = answer.Header("X-RateLimit-Remaining") == "0"
                ? MastodonErrors.UntilReset(answer.Header("X-RateLimit-Reset"), _timeProvider.GetUtcNow())
                : null;
        }

        firstUrl ??= await StatusUrlAsync(client, instance, token, firstId!, cancellationToken);
        return PublishOutcome.Published(firstId!, firstUrl, 200) with { QuotaExhaustedFor = exhausted };
    }

    /// <summary>
    /// Mastodon keeps every <c>Idempotency-Key</c> for an hour and answers a repeat with the status it already
    /// made (PLATFORMS.md §6, "Auth / headers"); Herald resends each part with the same key, so a resend cannot
    /// make a second status. Beyond that hour the key is forgotten: the engine's retries come well within it.
    /// </summary>
    public Task<ExistingPostLookup> FindExistingAsync(PublishRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(ExistingPostLookup.NotFound(
            "Mastodon returns the status it already made for a repeated Idempotency-Key, so resending with the same Idempotency-Key is safe."));

    /// <summary>Part 1 uses the publication's key; part n its key and <c>-n</c>, the same on every try.</summary>
    internal static string IdempotencyKey(string publicationKey, int partNumber) =>
        partNumber == 1 ? publicationKey : string.Create(CultureInfo.InvariantCulture, $"{publicationKey}-{partNumber}");

    private ShortFormText Compose(Content content, Account account, MastodonLimits limits) =>
        ShortForm.Compose(content, PlatformId, Counter(account, limits), limits: _contentLimits);

    private static ITextCounter Counter(Account account, MastodonLimits limits) =>
        TextCounter.Mastodon(limits.MaxCharacters, limits.CharactersReservedPerUrl, SpoilerOf(account));

    private static MastodonStatusRequest BuildRequest(string text, string? replyTo, Content content, Account account) => new()
    {
        Status = text,
        InReplyToId = replyTo,
        Visibility = VisibilityOf(account) ?? "public",
        SpoilerText = SpoilerOf(account),
        Language = LanguageOf(content, account),
    };

    private static string? VisibilityOf(Account account)
    {
        var visibility = account.Setting("visibility")?.Trim().ToLowerInvariant() ?? "public";
        return Visibilities.Contains(visibility, StringComparer.Ordinal) ? visibility : null;
    }

    private static string? SpoilerOf(Account account) => account.Setting("spoiler_text")?.Trim() is { Length: > 0 } spoiler ? spoiler : null;

    /// <summary>
    /// The content's language, else the account's <c>language</c> setting. Mastodon falls back to the user's
    /// preference for a code it does not know, so it is passed on as written.
    /// </summary>
    private static string? LanguageOf(Content content, Account account) =>
        (content.Language ?? account.Setting("language"))?.Trim() is { Length: > 0 } language ? language : null;

    private Uri InstanceOf(Account account) => account.BaseUrl ?? _options.DefaultBaseUrl;

    /// <summary>The public URL of a status posted by an earlier try; null when it cannot be read now.</summary>
    private static async Task<Uri?> StatusUrlAsync(HttpClient client, Uri instance, string token, string statusId, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, PlatformHttp.Combine(instance, $"{StatusesPath}/{Uri.EscapeDataString(statusId)}"));
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var answer = await PlatformHttp.SendAsync(client, message, DisplayName, cancellationToken);
        return answer.Failure is null && answer.IsSuccess
            ? PlatformHttp.ParseAbsolute(PlatformHttp.TryDeserialize<MastodonStatus>(answer.Body)?.Url)
            : null;
    }

    private static string Serialize(MastodonStatusRequest request) => JsonSerializer.Serialize(request, PlatformHttp.Json);
}
