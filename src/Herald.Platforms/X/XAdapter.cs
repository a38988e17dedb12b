using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Herald.Accounts;
using Herald.Contents;
using Herald.Formatting.Text;
using Herald.Platforms.Http;
using Herald.Validation;
using Microsoft.Extensions.Options;

namespace Herald.Platforms.X;

/// <summary>
/// Publishes to X through API v2 (docs/platforms.md, X): <c>POST /2/tweets</c>, a thread as a chain of replies.
/// </summary>
/// <remarks>
/// The text is written by <see cref="ShortForm"/> on X's weighted count (<see cref="XTextCounter.Instance"/>): a short
/// post as written, an article as a teaser, or a thread when the content asks for one or does not fit.
/// Credentials: OAuth 2.0 user context (<c>access_token</c>, with <c>refresh_token</c>, <c>client_id</c> and
/// optionally <c>client_secret</c> to renew it) or OAuth 1.0a user context (<c>consumer_key</c>,
/// <c>consumer_secret</c>, <c>access_token</c>, <c>access_token_secret</c>). Setting <c>username</c> names
/// the account for post URLs; without it Herald asks <c>GET /2/users/me</c> once per account.
/// </remarks>
internal sealed partial class XAdapter : IPlatformAdapter, Checks.IAccountCheck, Checks.ICredentialRenewal, Media.IImageRoutes
{
    internal const string HttpClientName = "Herald.X";
    internal const string PlatformId = "x";

    private const string DisplayName = "X";
    private const string CreateEndpoint = "POST /2/tweets";

    /// <summary>Timeline pages read at most per lookup; X itself serves only an account's newest 3,200 posts.</summary>
    private const int MaxLookupPages = 32;

    /// <summary>How far before the uncertain send a post still counts as its result: clocks differ a little.</summary>
    private static readonly TimeSpan ClockMargin = TimeSpan.FromMinutes(15);

    private readonly XApi _api;
    private readonly XMediaUpload _media;
    private readonly TimeProvider _timeProvider;
    private readonly XOptions _options;
    private readonly ContentLimits _contentLimits;
    private readonly ConcurrentDictionary<AccountId, XUser> _users = new();

    public XAdapter(IHttpClientFactory httpClientFactory, IAccountCredentialsStore credentialsStore, IOptions<XOptions> options, TimeProvider timeProvider, ContentLimits contentLimits)
    {
        _contentLimits = contentLimits;
        _timeProvider = timeProvider;
        _options = options.Value;
        _api = new XApi(httpClientFactory, new XAuthorization(httpClientFactory, credentialsStore, timeProvider), timeProvider, _options);
        _media = new XMediaUpload(_api, timeProvider);
        Platform = new PlatformDescriptor
        {
            Id = PlatformId,
            DisplayName = DisplayName,
            Aliases = ["twitter"],
            DefaultBaseUrl = _options.DefaultBaseUrl,
            Capabilities = new PlatformCapabilities
            {
                SupportsThreads = true,
                // docs/platforms.md, X, "Rate limits": the current per-endpoint table gives 100 / 15 min per user;
                // tiers differ, and the x-rate-limit-* headers of each answer are what Herald obeys.
                DefaultRateLimit = new RateLimitDefault(100, TimeSpan.FromMinutes(15)),
                UploadRateLimit = new RateLimitDefault(500, TimeSpan.FromMinutes(15)),
                UploadsReusableFor = XMediaUpload.ReuseFor,
            },
        };
    }

    /// <summary>What Herald checks of a content's images before scheduling (docs/platforms.md, X, "Images").</summary>
    internal static readonly ImageSupport ImageLimits = new(MaxCount: 4, MaxAltLength: 1_000);

    public PlatformDescriptor Platform { get; }

    /// <summary>Images are fitted to X's limits and uploaded (<see cref="XMediaUpload"/>).</summary>
    public Media.ImageRoute RouteOf(ContentImage image, Account account) => Media.ImageRoute.Upload(XMediaUpload.Target);

    public IReadOnlyList<ValidationProblem> Validate(Content content, Account account)
    {
        var problems = XAuthorization.Problems(account.Credentials)
            .Select(p => new ValidationProblem(p.Field, p.Rule, PlatformId))
            .ToList();

        if (account.Setting("username") is { } username && !UsernamePattern().IsMatch(username.TrimStart('@')))
        {
            problems.Add(new ValidationProblem("username", $"must be an X handle of 1 to 15 letters, digits or underscores, not '{username}'", PlatformId));
        }

        var composed = Compose(content);
        if (!composed.Succeeded)
        {
            problems.Add(new ValidationProblem("body", $"cannot be posted on X: {composed.Error}", PlatformId));
        }
        else if (composed.Parts.Count == 0)
        {
            problems.Add(new ValidationProblem("body", "has no text to post on X", PlatformId));
        }
        else
        {
            foreach (var (part, index) in composed.Parts.Select((p, i) => (p, i)))
            {
                var count = XTextCounter.Instance.Count(part);
                if (count.HasInvalidCharacters)
                {
                    problems.Add(new ValidationProblem(
                        "body", $"holds a character X refuses (U+FFFE, U+FEFF or U+FFFF){(composed.Parts.Count > 1 ? $" in part {index + 1}" : "")}", PlatformId));
                }
            }
        }

        problems.AddRange(ImageRules.Validate(content, ImageLimits, PlatformId, DisplayName));
        foreach (var (image, index) in content.Images.Select((image, index) => (image, index)))
        {
            // X counts alt text in code points; an emoji sequence that is one character to a reader may be several.
            if (image.Alt is { } alt && new StringInfo(alt).LengthInTextElements <= ImageLimits.MaxAltLength &&
                alt.EnumerateRunes().Count() is var points && points > ImageLimits.MaxAltLength)
            {
                problems.Add(new ValidationProblem($"images[{index}].alt", string.Create(CultureInfo.InvariantCulture,
                    $"is {points:N0} code points long as X counts it; X takes at most {ImageLimits.MaxAltLength:N0}"), PlatformId));
            }
        }

        return problems;
    }

    public RenderedPayload Render(Content content, Account account)
    {
        var composed = Compose(content);
        var parts = composed.Succeeded ? composed.Parts : [];
        var rendered = parts.Select((text, index) =>
        {
            var count = XTextCounter.Instance.Count(text);
            // A reply's parent id is known only once the part before it is posted; the media ids once the images are uploaded.
            var mediaIds = index == 0 && content.Images.Count > 0
                ? content.Images.Select((_, i) => string.Create(CultureInfo.InvariantCulture, $"{{id of image {i + 1}}}")).ToList()
                : null;
            var body = Serialize(text, index == 0 ? null : $"<id of part {index}>", mediaIds);
            return new RenderedPart(text, count.Count, count.Limit, count.Unit) { Body = body, FittingLength = count.IsWithinLimit ? null : TextFit.FittingLength(text, XTextCounter.Instance) };
        }).ToList();
        return new RenderedPayload("application/json", rendered.Count == 0 ? "" : rendered[0].Body!, CreateEndpoint) { Parts = rendered };
    }

    public async Task<PublishOutcome> PublishAsync(PublishRequest request, CancellationToken cancellationToken = default)
    {
        var account = request.Account;
        if (XAuthorization.Problems(account.Credentials) is [var (field, rule), ..])
        {
            return PublishOutcome.Permanent($"The X account cannot sign in: {field} {rule}.");
        }

        var composed = Compose(request.Content);
        if (!composed.Succeeded || composed.Parts.Count == 0)
        {
            return PublishOutcome.Permanent($"The content cannot be posted on X: {composed.Error ?? "it has no text"}.");
        }

        var parts = composed.Parts;
        var confirmed = request.ConfirmedParts;
        var (username, lookupFailure) = await UsernameAsync(account, cancellationToken);
        if (confirmed.Count >= parts.Count)
        {
            // Every part is on X already: nothing is sent.
            return PublishOutcome.Published(confirmed[0], username is null ? null : PostUrl(username, confirmed[0]));
        }

        if (lookupFailure is not null)
        {
            return lookupFailure;
        }

        // Images go on the first part: uploaded (or reused from an earlier try) before it is created.
        IReadOnlyList<string>? mediaIds = null;
        if (confirmed.Count == 0 && request.Content.Images.Count > 0)
        {
            var (ids, failure) = await _media.UploadAsync(request, cancellationToken);
            if (failure is not null)
            {
                return failure;
            }

            mediaIds = ids;
        }

        var previous = confirmed.Count > 0 ? confirmed[^1] : null;
        var first = confirmed.Count > 0 ? confirmed[0] : null;
        var status = 0;
        TimeSpan? exhausted = null;
        for (var index = confirmed.Count; index < parts.Count; index++)
        {
            var body = Serialize(parts[index], previous, index == 0 ? mediaIds : null);
            using var call = await _api.CallAsync(account, HttpMethod.Post, "2/tweets", XApi.Json(body), cancellationToken);
            if (call.Problem(account, _timeProvider, create: true) is { } problem)
            {
                return parts.Count == 1 ? problem : problem with { Error = $"Part {index + 1} of {parts.Count}: {problem.Error}" };
            }

            var id = PlatformHttp.TryDeserialize<XTweetCreated>(call.Answer.Body)?.Data?.Id;
            if (string.IsNullOrEmpty(id))
            {
                return PublishOutcome.Unknown(
                    $"X accepted part {index + 1} of {parts.Count} (HTTP {call.Answer.Status}) but named no post id; the post may exist.", call.Answer.Status);
            }

            // Stored before the next part goes out, so a resumed thread continues after this one.
            await request.OnPartConfirmed(id, cancellationToken);
            previous = id;
            first ??= id;
            status = call.Answer.Status;
            // The window is used up: the next create would be a 429 (docs/platforms.md, X, "read the headers").
            exhausted = call.Answer.Header("x-rate-limit-remaining") == "0" ? XErrors.RateLimitWait(call.Answer.Response, _timeProvider) : null;
        }

        return PublishOutcome.Published(first!, PostUrl(username!, first!), status) with { QuotaExhaustedFor = exhausted };
    }

    /// <summary>
    /// Looks for the next unconfirmed part in the account's timeline (<c>GET /2/users/:id/tweets</c>): the same text,
    /// and for a reply the same parent. Pages go back with <c>pagination_token</c>, bounded by <c>start_time</c> a
    /// little before the uncertain send, so a post followed by many others is still found. X refuses an exact repeat
    /// of a recent post by the same account (docs/platforms.md, X, "Idempotency"), so when it is not there a resend cannot
    /// make a second one.
    /// </summary>
    public async Task<ExistingPostLookup> FindExistingAsync(PublishRequest request, CancellationToken cancellationToken = default)
    {
        var account = request.Account;
        if (XAuthorization.Problems(account.Credentials).Count > 0)
        {
            return ExistingPostLookup.CannotTell("The X account lacks credentials, so its posts cannot be read.");
        }

        var composed = Compose(request.Content);
        var confirmed = request.ConfirmedParts;
        if (!composed.Succeeded || composed.Parts.Count == 0)
        {
            return ExistingPostLookup.NotFound("The content cannot be written for X, so nothing was sent.");
        }

        if (confirmed.Count >= composed.Parts.Count)
        {
            return ExistingPostLookup.NotFound("Every part is confirmed already; a resend sends nothing.");
        }

        var (user, failure) = await MeAsync(account, cancellationToken);
        if (user is null)
        {
            return ExistingPostLookup.Unavailable($"Could not learn the X account's id: {failure!.Error}");
        }

        var index = confirmed.Count;
        var wanted = Comparable(composed.Parts[index], null);
        var parent = index > 0 ? confirmed[index - 1] : null;
        var username = UsernameSetting(account) ?? user.Username!;

        // Bounded by the uncertain send (a little before, for clocks), so only as many pages are read as posts followed it.
        var startTime = request.UncertainSince is { } since
            ? "&start_time=" + Uri.EscapeDataString((since - ClockMargin).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
            : "";
        // Without a bound every page back to 3,200 posts would be read, on read limits that are tight: one page then.
        var maxPages = startTime.Length > 0 ? MaxLookupPages : 1;
        string? token = null;
        for (var page = 0; page < maxPages; page++)
        {
            var relative = string.Create(
                CultureInfo.InvariantCulture,
                $"2/users/{Uri.EscapeDataString(user.Id!)}/tweets?max_results={_options.LookupPageSize}&tweet.fields=referenced_tweets,entities{startTime}") +
                (token is null ? "" : "&pagination_token=" + Uri.EscapeDataString(token));
            using var call = await _api.CallAsync(account, HttpMethod.Get, relative, null, cancellationToken);
            if (call.Problem(account, _timeProvider, create: false) is { } problem)
            {
                return ExistingPostLookup.Unavailable($"Could not read the X account's posts: {problem.Error}");
            }

            var timeline = PlatformHttp.TryDeserialize<XTimelinePage>(call.Answer.Body);
            if (timeline is null)
            {
                return ExistingPostLookup.CannotTell("X answered the timeline with something that is not a page of posts.");
            }

            var match = (timeline.Data ?? []).FirstOrDefault(t =>
                t.Id is not null && t.Text is not null &&
                string.Equals(Comparable(t.Text, t.Entities), wanted, StringComparison.Ordinal) &&
                string.Equals(RepliedTo(t), parent, StringComparison.Ordinal));
            if (match is not null)
            {
                return ExistingPostLookup.Found(match.Id!, PostUrl(username, match.Id!));
            }

            token = timeline.Meta?.NextToken;
            if (token is null)
            {
                var window = startTime.Length > 0 ? " since a little before the uncertain send" : $" among its newest {_options.LookupPageSize * (page + 1)}";
                return ExistingPostLookup.NotFound(
                    $"No post of the account has this text{window}; X refuses an exact repeat of a recent post anyway, so a resend cannot make a second one.");
            }
        }

        return maxPages == 1
            ? ExistingPostLookup.NotFound(
                $"No post with this text among the account's newest {_options.LookupPageSize}; X refuses an exact repeat of a recent post anyway, so a resend cannot make a second one.")
            : ExistingPostLookup.CannotTell(
                $"No post with this text among the account's newest {_options.LookupPageSize * MaxLookupPages} posts; older ones were not read.");
    }

    private ShortFormText Compose(Content content) => ShortForm.Compose(content, PlatformId, XTextCounter.Instance, limits: _contentLimits);

    private static string Serialize(string text, string? inReplyTo, IReadOnlyList<string>? mediaIds = null) =>
        JsonSerializer.Serialize(
            new XCreateTweetRequest
            {
                Text = text,
                Reply = inReplyTo is null ? null : new XReply(inReplyTo),
                Media = mediaIds is null ? null : new XCreateMedia(mediaIds),
            },
            PlatformHttp.Json);

    private Uri PostUrl(string username, string id) =>
        new(_options.WebBaseUrl.AbsoluteUri.TrimEnd('/') + $"/{Uri.EscapeDataString(username)}/status/{Uri.EscapeDataString(id)}");

    private static string? UsernameSetting(Account account) => account.Setting("username")?.Trim().TrimStart('@') is { Length: > 0 } name ? name : null;

    /// <summary>The handle for post URLs: the <c>username</c> setting, else <c>/2/users/me</c> (cached per account).</summary>
    private async Task<(string? Username, PublishOutcome? Failure)> UsernameAsync(Account account, CancellationToken cancellationToken)
    {
        if (UsernameSetting(account) is { } setting)
        {
            return (setting, null);
        }

        var (user, failure) = await MeAsync(account, cancellationToken);
        return (user?.Username, failure);
    }

    /// <summary>Who the credentials belong to, from <c>GET /2/users/me</c>, asked once per account.</summary>
    private async Task<(XUser? User, PublishOutcome? Failure)> MeAsync(Account account, CancellationToken cancellationToken)
    {
        if (_users.TryGetValue(account.Id, out var cached))
        {
            return (cached, null);
        }

        using var call = await _api.CallAsync(account, HttpMethod.Get, "2/users/me", null, cancellationToken);
        if (call.Problem(account, _timeProvider, create: false) is { } problem)
        {
            // A read creates nothing: a lost answer is simply worth another try.
            return (null, problem.Kind == PublishOutcomeKind.Unknown ? PublishOutcome.Transient(problem.Error!) : problem);
        }

        var user = PlatformHttp.TryDeserialize<XMe>(call.Answer.Body)?.Data;
        if (user is not { Id.Length: > 0, Username.Length: > 0 })
        {
            return (null, PublishOutcome.Transient($"X answered /2/users/me (HTTP {call.Answer.Status}) without the account's id and username."));
        }

        _users[account.Id] = user;
        return (user, null);
    }

    /// <summary>
    /// A post's text made comparable with the text Herald sent: t.co links expanded back to what was written
    /// (when X reports the link entities) and the link X appends for attached images removed, the HTML entities X
    /// escapes decoded, NFC, trimmed.
    /// </summary>
    internal static string Comparable(string text, XEntities? entities)
    {
        foreach (var link in entities?.Urls ?? [])
        {
            if (link.Url is { Length: > 0 } mediaLink && (link.MediaKey is { Length: > 0 } || MediaLinkPattern().IsMatch(link.ExpandedUrl ?? "")))
            {
                // The link X adds for a post's images: Herald did not write it.
                text = text.Replace(mediaLink, "", StringComparison.Ordinal);
            }
            else if (link.Url is { Length: > 0 } shortened && link.ExpandedUrl is { Length: > 0 } expanded)
            {
                text = text.Replace(shortened, expanded, StringComparison.Ordinal);
            }
        }

        text = text.Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal)
            .Replace("&amp;", "&", StringComparison.Ordinal).Replace("\r\n", "\n", StringComparison.Ordinal);
        return text.Normalize(NormalizationForm.FormC).Trim();
    }

    private static string? RepliedTo(XTweet tweet) =>
        tweet.ReferencedTweets?.FirstOrDefault(r => r.Type == "replied_to")?.Id;

    [GeneratedRegex("^[A-Za-z0-9_]{1,15}$", RegexOptions.CultureInvariant)]
    private static partial Regex UsernamePattern();

    [GeneratedRegex("/status/[0-9]+/(photo|video)/[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex MediaLinkPattern();
}
