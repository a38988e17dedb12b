using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Herald.Accounts;
using Herald.Contents;
using Herald.Formatting.Text;
using Herald.Platforms.Http;
using Herald.Validation;
using Microsoft.Extensions.Options;

namespace Herald.Platforms.Mastodon;

/// <summary>
/// Publishes statuses to any Mastodon instance (docs/platforms.md, Mastodon): <c>POST /api/v1/statuses</c> with the
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
internal sealed partial class MastodonAdapter : IPlatformAdapter, Checks.IAccountCheck, Media.IImageRoutes
{
    internal const string HttpClientName = "Herald.Mastodon";
    internal const string PlatformId = "mastodon";
    internal const string AccessTokenCredential = "access_token";

    private const string DisplayName = "Mastodon";
    private const string StatusesPath = "api/v1/statuses";
    private static readonly string[] Visibilities = ["public", "unlisted", "private", "direct"];

    /// <summary>Statuses per lookup page: Mastodon's maximum <c>limit</c>.</summary>
    private const int LookupPageSize = 40;
    private const int MaxLookupPages = 10;

    /// <summary>How long an Idempotency-Key is trusted: Mastodon keeps it an hour, less a margin for clocks.</summary>
    private static readonly TimeSpan IdempotencyKeyTrust = TimeSpan.FromMinutes(55);

    /// <summary>How far before the uncertain send a status still counts as its result: clocks differ a little.</summary>
    private static readonly TimeSpan ClockMargin = TimeSpan.FromMinutes(15);

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly TimeProvider _timeProvider;
    private readonly MastodonOptions _options;
    private readonly MastodonInstanceLimits _limits;
    private readonly ContentLimits _contentLimits;
    private readonly MastodonMedia _media;

    public MastodonAdapter(IHttpClientFactory httpClientFactory, IOptions<MastodonOptions> options, TimeProvider timeProvider, ContentLimits contentLimits)
    {
        _contentLimits = contentLimits;
        _httpClientFactory = httpClientFactory;
        _timeProvider = timeProvider;
        _options = options.Value;
        _limits = new MastodonInstanceLimits(timeProvider, _options.InstanceLimitsLifetime);
        _media = new MastodonMedia(timeProvider, _options);
        Platform = new PlatformDescriptor
        {
            Id = PlatformId,
            DisplayName = DisplayName,
            Aliases = ["toot", "masto"],
            DefaultBaseUrl = _options.DefaultBaseUrl,
            Capabilities = new PlatformCapabilities
            {
                SupportsThreads = true,
                // The per-account status creation limit, 300 per 3 hours (docs/platforms.md, Mastodon, "Rate limits").
                DefaultRateLimit = new RateLimitDefault(300, TimeSpan.FromHours(3)),
                UploadRateLimit = new RateLimitDefault(30, TimeSpan.FromMinutes(30)),
            },
        };
    }

    /// <summary>What Herald checks of a content's images before scheduling (docs/platforms.md, Mastodon, "Images").</summary>
    internal static readonly ImageSupport ImageLimits = new ImageSupport(MaxCount: 4, MaxAltLength: 1_500);

    public PlatformDescriptor Platform { get; }

    /// <summary>Images are fitted to Mastodon's limits and uploaded (<see cref="MastodonMedia"/>).</summary>
    public Media.ImageRoute RouteOf(ContentImage image, Account account) => Media.ImageRoute.Upload(MastodonMedia.Target);

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

        problems.AddRange(ImageRules.Validate(content, ImageLimits, PlatformId, DisplayName));
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
            // The ids of the images exist only once they are uploaded, just before the first part is created.
            var mediaIds = index == 0 && content.Images.Count > 0
                ? content.Images.Select((_, i) => string.Create(CultureInfo.InvariantCulture, $"{{id of image {i + 1}}}")).ToList()
                : null;
            parts.Add(new RenderedPart(text, count.Count, count.Limit, count.Unit)
            {
                Body = Serialize(BuildRequest(text, replyTo, content, account, mediaIds)),
                FittingLength = count.IsWithinLimit ? null : TextFit.FittingLength(text, counter),
            });
        }

        // A thread's body holds every part's request, so the cut that goes out is stored and a resumed thread keeps it.
        var body = parts.Count switch
        {
            0 => "",
            1 => parts[0].Body!,
            _ => "[" + string.Join(",", parts.Select(p => p.Body)) + "]",
        };
        return new RenderedPayload("application/json", body, "POST /api/v1/statuses") { Parts = parts };
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
        var (parts, refusal) = await PartsAsync(request, client, instance, token, cancellationToken);
        if (parts is null)
        {
            return PublishOutcome.Permanent(refusal!);
        }

        var confirmed = request.ConfirmedParts;
        if (confirmed.Count >= parts.Count)
        {
            return PublishOutcome.Published(confirmed[0], await StatusUrlAsync(client, instance, token, confirmed[0], cancellationToken));
        }

        // Images go on the first part: uploaded (or reused from an earlier try) before it is created.
        IReadOnlyList<string>? mediaIds = null;
        if (confirmed.Count == 0 && request.Content.Images.Count > 0)
        {
            var (ids, failure) = await _media.UploadAsync(request, client, instance, token, cancellationToken);
            if (failure is not null)
            {
                return failure;
            }

            mediaIds = ids;
        }

        string? firstId = confirmed.Count > 0 ? confirmed[0] : null;
        Uri? firstUrl = null;
        var previousId = confirmed.Count > 0 ? confirmed[^1] : null;
        TimeSpan? exhausted = null;
        for (var index = confirmed.Count; index < parts.Count; index++)
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, PlatformHttp.Combine(instance, StatusesPath))
            {
                Content = new StringContent(
                    Serialize(BuildRequest(parts[index], previousId, request.Content, account, index == 0 ? mediaIds : null)), Encoding.UTF8, "application/json"),
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
            // No requests left on the account: hold back until X-RateLimit-Reset (an ISO timestamp, docs/platforms.md, Mastodon).
            exhausted = answer.Header("X-RateLimit-Remaining") == "0"
                ? MastodonErrors.UntilReset(answer.Header("X-RateLimit-Reset"), _timeProvider.GetUtcNow())
                : null;
        }

        firstUrl ??= await StatusUrlAsync(client, instance, token, firstId!, cancellationToken);
        return PublishOutcome.Published(firstId!, firstUrl, 200) with { QuotaExhaustedFor = exhausted };
    }

    /// <summary>
    /// Looks for the next unconfirmed part among the account's own statuses (<c>GET /api/v1/accounts/verify_credentials</c>,
    /// then <c>GET /api/v1/accounts/:id/statuses</c>, newest first, back to the uncertain send): the same text, replying
    /// to the previous part. When the statuses cannot be read, the <c>Idempotency-Key</c> still makes a resend safe
    /// while Mastodon keeps it (an hour, docs/platforms.md, Mastodon); after that Herald cannot tell.
    /// </summary>
    public async Task<ExistingPostLookup> FindExistingAsync(PublishRequest request, CancellationToken cancellationToken = default)
    {
        var account = request.Account;
        var token = account.Credentials[AccessTokenCredential];
        if (string.IsNullOrEmpty(token))
        {
            return ExistingPostLookup.CannotTell("The Mastodon account has no access token, so its statuses cannot be read.");
        }

        var client = _httpClientFactory.CreateClient(HttpClientName);
        var instance = InstanceOf(account);
        var (parts, refusal) = await PartsAsync(request, client, instance, token, cancellationToken);
        if (parts is null)
        {
            return ExistingPostLookup.NotFound($"Nothing can have been sent: {refusal}");
        }

        var index = request.ConfirmedParts.Count;
        if (index >= parts.Count)
        {
            return ExistingPostLookup.NotFound("Every part is confirmed already; a resend sends nothing.");
        }

        var parent = index > 0 ? request.ConfirmedParts[index - 1] : null;
        var search = await FindStatusAsync(client, instance, token, parts[index], parent, request.UncertainSince, cancellationToken);
        if (search.Found is { } found)
        {
            return ExistingPostLookup.Found(found.Id!, PlatformHttp.ParseAbsolute(found.Url));
        }

        if (search.Problem is null)
        {
            return ExistingPostLookup.NotFound("No status of the account has this text and reply; a resend also carries the same Idempotency-Key.");
        }

        var keyIsKept = request.UncertainSince is not { } since || _timeProvider.GetUtcNow() - since < IdempotencyKeyTrust;
        return keyIsKept
            ? ExistingPostLookup.NotFound(
                $"The account's statuses could not be read ({search.Problem}), but Mastodon still keeps the Idempotency-Key, so a resend returns the status it already made.")
            : ExistingPostLookup.Unavailable(
                $"The account's statuses could not be read ({search.Problem}), and Mastodon forgets an Idempotency-Key after an hour, so a resend could post twice.");
    }

    /// <summary>
    /// The parts to send: those of the stored payload, which is the cut the first parts went out with, whenever it can
    /// be read and still fits the instance; otherwise (library use, or an instance whose limit shrank before anything
    /// went out) a cut with the limits read now.
    /// </summary>
    private async Task<(IReadOnlyList<string>? Parts, string? Refusal)> PartsAsync(
        PublishRequest request, HttpClient client, Uri instance, string token, CancellationToken cancellationToken)
    {
        var limits = await _limits.GetAsync(client, instance, token, cancellationToken);
        if (StoredParts(request.StoredPayload) is { Count: > 0 } stored)
        {
            var counter = Counter(request.Account, limits);
            if (request.ConfirmedParts.Count > 0 || stored.All(part => counter.Count(part).Count <= limits.MaxCharacters))
            {
                return (stored, null);
            }
        }

        var composed = Compose(request.Content, request.Account, limits);
        return composed.Succeeded && composed.Parts.Count > 0
            ? (composed.Parts, null)
            : (null, $"The text cannot be cut into Mastodon posts of {limits.MaxCharacters} characters: {composed.Error ?? "it is empty"}.");
    }

    /// <summary>The <c>status</c> of each request in a stored payload (one object, or an array for a thread); null when it is not one.</summary>
    internal static IReadOnlyList<string>? StoredParts(string? payload)
    {
        if (string.IsNullOrWhiteSpace(payload))
        {
            return null;
        }

        var trimmed = payload.TrimStart();
        var requests = trimmed.StartsWith('[')
            ? PlatformHttp.TryDeserialize<List<MastodonStatusRequest>>(payload)
            : PlatformHttp.TryDeserialize<MastodonStatusRequest>(payload) is { } single ? [single] : null;
        return requests is { Count: > 0 } && requests.All(r => !string.IsNullOrEmpty(r.Status)) ? requests.Select(r => r.Status).ToList() : null;
    }

    /// <summary>
    /// The account's newest status with <paramref name="text"/> that replies to <paramref name="parent"/>, paging back
    /// to a little before <paramref name="since"/> (at most <see cref="MaxLookupPages"/> pages).
    /// </summary>
    private async Task<(MastodonStatus? Found, string? Problem)> FindStatusAsync(
        HttpClient client, Uri instance, string token, string text, string? parent, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        using var me = Get(instance, "api/v1/accounts/verify_credentials", token);
        using var answer = await PlatformHttp.SendAsync(client, me, DisplayName, cancellationToken);
        if (answer.Failure is not null || !answer.IsSuccess)
        {
            return (null, answer.Failure?.Error ?? $"HTTP {answer.Status} from verify_credentials");
        }

        if (PlatformHttp.TryDeserialize<MastodonOwnAccount>(answer.Body)?.Id is not { Length: > 0 } accountId)
        {
            return (null, "verify_credentials named no account id");
        }

        var wanted = ComparableText(text);
        var from = since - ClockMargin;
        string? maxId = null;
        for (var page = 0; page < MaxLookupPages; page++)
        {
            var relative = string.Create(
                CultureInfo.InvariantCulture, $"api/v1/accounts/{Uri.EscapeDataString(accountId)}/statuses?limit={LookupPageSize}{(maxId is null ? "" : $"&max_id={maxId}")}");
            using var list = Get(instance, relative, token);
            using var statuses = await PlatformHttp.SendAsync(client, list, DisplayName, cancellationToken);
            if (statuses.Failure is not null || !statuses.IsSuccess)
            {
                return (null, statuses.Failure?.Error ?? $"HTTP {statuses.Status} from the account's statuses");
            }

            if (PlatformHttp.TryDeserialize<List<MastodonStatus>>(statuses.Body) is not { } items)
            {
                return (null, "the account's statuses were not a list");
            }

            var match = items.FirstOrDefault(s =>
                s.Id is { Length: > 0 } && s.InReplyToId == parent && ComparableText(HtmlToText(s.Content)) == wanted);
            if (match is not null)
            {
                return (match, null);
            }

            if (items.Count < LookupPageSize || (from is { } bound && items[^1].CreatedAt < bound) || items[^1].Id is not { Length: > 0 } oldest)
            {
                return (null, null);
            }

            maxId = oldest;
        }

        return (null, $"no match among the newest {MaxLookupPages * LookupPageSize} statuses, and older ones were not read");
    }

    private static HttpRequestMessage Get(Uri instance, string relative, string token)
    {
        var message = new HttpRequestMessage(HttpMethod.Get, PlatformHttp.Combine(instance, relative));
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        message.Headers.UserAgent.Add(new ProductInfoHeaderValue("Herald", "1.0"));
        return message;
    }

    /// <summary>A status's HTML as text: paragraphs and line breaks kept, every tag dropped (a link's hidden parts included), entities decoded.</summary>
    internal static string HtmlToText(string? html)
    {
        if (string.IsNullOrEmpty(html))
        {
            return "";
        }

        var text = HtmlParagraphBreak().Replace(html, "\n\n");
        text = HtmlLineBreak().Replace(text, "\n");
        return WebUtility.HtmlDecode(HtmlTag().Replace(text, ""));
    }

    /// <summary>Mastodon re-flows whitespace when it renders: compare with every run of it as one space.</summary>
    private static string ComparableText(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Normalize(NormalizationForm.FormC);

    [GeneratedRegex(@"</p>\s*<p[^>]*>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HtmlParagraphBreak();

    [GeneratedRegex(@"<br\s*/?>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HtmlLineBreak();

    [GeneratedRegex("<[^>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex HtmlTag();

    /// <summary>Part 1 uses the publication's key; part n its key and <c>-n</c>, the same on every try.</summary>
    internal static string IdempotencyKey(string publicationKey, int partNumber) =>
        partNumber == 1 ? publicationKey : string.Create(CultureInfo.InvariantCulture, $"{publicationKey}-{partNumber}");

    private ShortFormText Compose(Content content, Account account, MastodonLimits limits) =>
        ShortForm.Compose(content, PlatformId, Counter(account, limits), limits: _contentLimits);

    private static ITextCounter Counter(Account account, MastodonLimits limits) =>
        new MastodonTextCounter(limits.MaxCharacters, limits.CharactersReservedPerUrl, SpoilerOf(account));

    private static MastodonStatusRequest BuildRequest(string text, string? replyTo, Content content, Account account, IReadOnlyList<string>? mediaIds = null) => new()
    {
        MediaIds = mediaIds,
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
