using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Herald.Accounts;
using Herald.Contents;
using Herald.DependencyInjection;
using Herald.Formatting;
using Herald.Platforms.Http;
using Herald.Validation;
using Microsoft.Extensions.Options;

namespace Herald.Platforms.DevTo;

/// <summary>
/// Publishes articles to Dev.to or any Forem instance through the Forem API v1 (docs/platforms.md, Dev.to).
/// </summary>
/// <remarks>
/// The body sent is the content's Markdown with relative links and images made absolute against the
/// canonical URL (when there is one). When the account has a <c>footer</c> setting (an author bio, in
/// Markdown), it is appended after the body, separated by a blank line, a thematic break (<c>---</c>) and
/// another blank line; an empty body gets the footer alone, because a body that starts with <c>---</c>
/// would be read by Forem as front matter. The account setting <c>published</c> (default true) chooses
/// between a published article and a draft. Content overrides for <c>devto</c>: <c>title</c>,
/// <c>description</c>, <c>series</c> and <c>tags</c> (comma-separated).
/// </remarks>
internal sealed partial class DevToAdapter : IPlatformAdapter, Checks.IAccountCheck, Media.IImageRoutes
{
    internal const string HttpClientName = "Herald.DevTo";
    internal const string ApiKeyCredential = "api_key";
    internal const string PlatformId = "devto";

    /// <summary>Forem routes to API v1 only when Accept contains this (docs/platforms.md, Dev.to, "Auth / headers").</summary>
    internal const string V1MediaType = "application/vnd.forem.api-v1+json";

    private const string DisplayName = "Dev.to";
    private const int MaxTitleLength = 128;

    /// <summary>Forem validates <c>body_markdown</c> at 800 kilobytes of bytesize (Rails: 800 × 1024).</summary>
    private const int MaxBodyBytes = 800 * 1024;

    /// <summary>
    /// Articles per lookup page. Items carry their whole body, so pages stay small enough to read within
    /// <see cref="PlatformHttp.MaxResponseBytes"/>; a lookup bounded by the uncertain send rarely needs a second page.
    /// </summary>
    private const int LookupPageSize = 100;
    private const int MaxLookupPages = 50;

    /// <summary>How far before the uncertain send an article still counts as its result: clocks differ a little.</summary>
    private static readonly TimeSpan ClockMargin = TimeSpan.FromMinutes(15);

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly TimeProvider _timeProvider;
    private readonly DevToOptions _options;
    private readonly Uri? _publicBase;

    public DevToAdapter(IHttpClientFactory httpClientFactory, IOptions<DevToOptions> options, TimeProvider timeProvider, IOptions<HeraldOptions> herald)
    {
        _publicBase = herald.Value.PublicBaseUri;
        _httpClientFactory = httpClientFactory;
        _timeProvider = timeProvider;
        _options = options.Value;
        Platform = new PlatformDescriptor
        {
            Id = PlatformId,
            DisplayName = DisplayName,
            Aliases = ["dev.to", "dev_to", "forem"],
            DefaultBaseUrl = _options.DefaultBaseUrl,
            Capabilities = new PlatformCapabilities
            {
                SupportsThreads = false,
                DefaultRateLimit = new RateLimitDefault(9, TimeSpan.FromSeconds(30)),
            },
        };
    }

    public PlatformDescriptor Platform { get; }

    /// <summary>Dev.to shows each image from a URL: a remote image's own, a local one's fitted copy served by Herald.</summary>
    public Media.ImageRoute RouteOf(ContentImage image, Account account) =>
        Media.ImageRoute.Download(DevToImages.UrlOf(image, _publicBase), image.IsRemote ? null : DevToImages.Target);

    public IReadOnlyList<ValidationProblem> Validate(Content content, Account account)
    {
        var problems = new List<ValidationProblem>();
        void Problem(string field, string message) => problems.Add(new ValidationProblem(field, message, PlatformId));

        if (!account.Credentials.Has(ApiKeyCredential))
        {
            Problem(ApiKeyCredential, "is required: give the account a Dev.to API key (DEVTO_API_KEY), from https://dev.to/settings/extensions");
        }

        if (PublishedSetting(account) is { Error: { } publishedError })
        {
            Problem("published", publishedError);
        }

        var title = TitleOf(content);
        var titleLength = title.EnumerateRunes().Count();
        if (string.IsNullOrWhiteSpace(title))
        {
            Problem("title", "is required for Dev.to");
        }
        else if (titleLength > MaxTitleLength)
        {
            Problem("title", $"must be at most {MaxTitleLength} characters for Dev.to (it has {titleLength})");
        }

        foreach (var tag in TagsOf(content))
        {
            if (tag.Tag.Length > DevToTags.MaxTagLength)
            {
                Problem(
                    $"tags[{tag.SourceIndex}]",
                    $"must be at most {DevToTags.MaxTagLength} letters and digits for Dev.to (\"{tag.Tag}\" has {tag.Tag.Length})");
            }
        }

        if (content.CanonicalUrl is { } canonical && !PlatformHttp.IsHttpUrl(canonical))
        {
            Problem("canonical_url", "must be an absolute http or https URL for Dev.to");
        }

        if (content.CoverImage is { } cover && !PlatformHttp.IsHttpUrl(cover))
        {
            Problem("cover_image", "must be an absolute http or https URL for Dev.to");
        }

        var bodyBytes = Encoding.UTF8.GetByteCount(BodyOf(content, account));
        if (bodyBytes > MaxBodyBytes)
        {
            Problem(
                "body",
                string.Create(CultureInfo.InvariantCulture, $"must be at most 800 KB ({MaxBodyBytes:N0} bytes of UTF-8) for Dev.to, footer included (it has {bodyBytes:N0})"));
        }

        problems.AddRange(DevToImages.Problems(content, _publicBase, PlatformId, DisplayName));
        return problems;
    }

    public RenderedPayload Render(Content content, Account account)
    {
        var published = PublishedSetting(account);
        var json = Serialize(BuildArticle(content, account, published.Value));
        return new RenderedPayload("application/json", json, "POST /api/articles");
    }

    public async Task<PublishOutcome> PublishAsync(PublishRequest request, CancellationToken cancellationToken = default)
    {
        var account = request.Account;
        var apiKey = account.Credentials[ApiKeyCredential];
        if (string.IsNullOrEmpty(apiKey))
        {
            return PublishOutcome.Permanent("The Dev.to account has no API key: set DEVTO_API_KEY or the account's api_key credential.");
        }

        var published = PublishedSetting(account);
        if (published.Error is not null)
        {
            return PublishOutcome.Permanent($"Dev.to account setting 'published' {published.Error}.");
        }

        // The exact text Render shows is the text sent: the payload stored for the publication (rendered again
        // before the send, and stored when it changed) when there is one, so it is not built a second time.
        var json = request.StoredPayload ?? Serialize(BuildArticle(request.Content, account, published.Value));
        using var message = new HttpRequestMessage(HttpMethod.Post, ApiUri(account, "articles"))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        AddHeaders(message, apiKey);

        var client = _httpClientFactory.CreateClient(HttpClientName);
        using var answer = await PlatformHttp.SendAsync(client, message, DisplayName, cancellationToken);
        if (answer.Failure is { } failure)
        {
            return failure;
        }

        if (!answer.IsSuccess)
        {
            return DevToErrors.Classify(answer.Response.StatusCode, answer.Body, HttpOutcomes.RetryAfter(answer.Response, _timeProvider));
        }

        var created = PlatformHttp.TryDeserialize<DevToArticleCreated>(answer.Body);
        if (created is null || created.Id <= 0)
        {
            // Forem has the article but Herald cannot say which: reconcile rather than resend.
            return PublishOutcome.Unknown(
                $"Dev.to accepted the article (HTTP {answer.Status}) but its answer had no article id; the article may exist.", answer.Status);
        }

        return PublishOutcome.Published(
            created.Id.ToString(CultureInfo.InvariantCulture), PlatformHttp.ParseAbsolute(created.Url), answer.Status);
    }

    /// <summary>
    /// Looks through the account's own articles, drafts included (<c>GET /api/articles/me/all</c>, drafts first, then
    /// newest published first), for the one an uncertain send may have made: the content's canonical URL when it has
    /// one (unique among published articles, docs/platforms.md, Dev.to, "Idempotency"); otherwise the exact title together with
    /// the same body, or a publication time at or after the uncertain send. A title alone is not enough: a series
    /// such as "Weekly notes" repeats it. Paging stops once the articles are older than the uncertain send.
    /// </summary>
    public async Task<ExistingPostLookup> FindExistingAsync(PublishRequest request, CancellationToken cancellationToken = default)
    {
        var account = request.Account;
        var apiKey = account.Credentials[ApiKeyCredential];
        if (string.IsNullOrEmpty(apiKey))
        {
            return ExistingPostLookup.CannotTell("The Dev.to account has no API key, so its articles cannot be listed.");
        }

        var content = request.Content;
        var canonical = content.CanonicalUrl is { } url && PlatformHttp.IsHttpUrl(url) ? url : null;
        var title = NormalizeTitle(TitleOf(content));
        var published = PublishedSetting(account);
        var body = ComparableBody(BuildArticle(content, account, published.Value).Article.BodyMarkdown);
        var cutoff = request.UncertainSince - ClockMargin;
        var client = _httpClientFactory.CreateClient(HttpClientName);

        for (var page = 1; page <= MaxLookupPages; page++)
        {
            using var message = new HttpRequestMessage(
                HttpMethod.Get,
                ApiUri(account, string.Create(CultureInfo.InvariantCulture, $"articles/me/all?per_page={LookupPageSize}&page={page}")));
            AddHeaders(message, apiKey);

            using var answer = await PlatformHttp.SendAsync(client, message, DisplayName, cancellationToken);
            if (answer.Failure is { } failure)
            {
                return ExistingPostLookup.Unavailable($"Could not list the account's Dev.to articles: {failure.Error}");
            }

            if (!answer.IsSuccess)
            {
                var said = DevToErrors.ErrorText(answer.Body);
                return ExistingPostLookup.Unavailable(
                    $"Dev.to answered HTTP {answer.Status} when listing the account's articles{(said is null ? "" : $": {said}")}.");
            }

            var articles = PlatformHttp.TryDeserialize<List<DevToMyArticle>>(answer.Body);
            if (articles is null)
            {
                return ExistingPostLookup.CannotTell("Dev.to answered the article list with something that is not a list of articles.");
            }

            var match = articles.FirstOrDefault(a => canonical is not null
                ? SameUrl(a.CanonicalUrl, canonical)
                : a.Title is not null && string.Equals(NormalizeTitle(a.Title), title, StringComparison.Ordinal) &&
                  (string.Equals(ComparableBody(a.BodyMarkdown), body, StringComparison.Ordinal) ||
                   (cutoff is { } from && a.PublishedAt >= from)));
            if (match is not null)
            {
                return ExistingPostLookup.Found(match.Id.ToString(CultureInfo.InvariantCulture), PlatformHttp.ParseAbsolute(match.Url));
            }

            // Published articles come newest first: once they predate the uncertain send, the rest are older still.
            var olderThanTheSend = cutoff is { } limit && articles.Count > 0 && articles[^1].PublishedAt is { } last && last < limit;
            if (articles.Count < LookupPageSize || olderThanTheSend)
            {
                return ExistingPostLookup.NotFound();
            }
        }

        return ExistingPostLookup.CannotTell(
            $"No match among the newest {MaxLookupPages * LookupPageSize:N0} articles of the account; older ones were not checked.");
    }

    private DevToCreateArticleRequest BuildArticle(Content content, Account account, bool published)
    {
        var canonical = CanonicalOf(content);
        var body = BodyOf(content, account);
        var description = content.OverrideFor(PlatformId, "description") ?? content.Description;
        if (string.IsNullOrWhiteSpace(description))
        {
            description = MarkdownText.FirstParagraph(content.Body);
        }

        var tags = TagsOf(content).Select(t => t.Tag).ToList();
        var series = content.OverrideFor(PlatformId, "series") ?? content.Series;
        return new DevToCreateArticleRequest(new DevToArticleInput
        {
            Title = TitleOf(content),
            BodyMarkdown = body,
            Published = published,
            Tags = tags.Count == 0 ? null : tags,
            Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim(),
            CanonicalUrl = canonical?.AbsoluteUri,
            Series = string.IsNullOrWhiteSpace(series) ? null : series.Trim(),
            MainImage = content.CoverImage?.IsAbsoluteUri == true ? content.CoverImage.AbsoluteUri : content.CoverImage?.OriginalString,
        });
    }

    private static Uri? CanonicalOf(Content content) => content.CanonicalUrl is { } url && PlatformHttp.IsHttpUrl(url) ? url : null;

    /// <summary>The article's Markdown as sent: links made absolute against the canonical URL, images and the footer appended.</summary>
    private string BodyOf(Content content, Account account)
    {
        var canonical = CanonicalOf(content);
        var body = canonical is null ? content.Body : MarkdownText.MakeLinksAbsolute(content.Body, canonical);
        // Forem has no image upload: the content's images go after the body by public URL (docs/platforms.md, Dev.to, "Images").
        body = DevToImages.Append(body, content.Images, _publicBase);
        if (account.Setting("footer") is { } footer && !string.IsNullOrWhiteSpace(footer))
        {
            body = string.IsNullOrWhiteSpace(body)
                ? footer.Trim() + "\n"
                : body.TrimEnd() + "\n\n---\n\n" + footer.Trim() + "\n";
        }

        return body;
    }

    private static string TitleOf(Content content) => (content.OverrideFor(PlatformId, "title") ?? content.Title).Trim();

    private static IReadOnlyList<DevToTags.NormalizedTag> TagsOf(Content content)
    {
        var tags = content.OverrideFor(PlatformId, "tags") is { } overridden
            ? overridden.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : content.Tags;
        return DevToTags.NormalizeAll(tags);
    }

    /// <summary>The account's <c>published</c> setting (default true), or why it cannot be read.</summary>
    private static (bool Value, string? Error) PublishedSetting(Account account)
    {
        try
        {
            return (account.SettingFlag("published", fallback: true), null);
        }
        catch (InvalidOperationException)
        {
            return (true, $"must be true (publish) or false (draft), not '{account.Setting("published")}'");
        }
    }

    private Uri ApiUri(Account account, string relative)
    {
        return PlatformHttp.Combine(account.BaseUrl ?? _options.DefaultBaseUrl, relative);
    }

    private static void AddHeaders(HttpRequestMessage message, string apiKey)
    {
        // Plain `api-key` header, no Bearer; without the v1 Accept Forem silently serves the deprecated v0 API.
        message.Headers.TryAddWithoutValidation("api-key", apiKey);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(V1MediaType));
        message.Headers.UserAgent.Add(new ProductInfoHeaderValue("Herald", "1.0"));
    }

    private static string Serialize(DevToCreateArticleRequest request) => JsonSerializer.Serialize(request, PlatformHttp.Json);

    private static bool SameUrl(string? candidate, Uri wanted) =>
        Uri.TryCreate(candidate, UriKind.Absolute, out var parsed) &&
        string.Equals(parsed.AbsoluteUri.TrimEnd('/'), wanted.AbsoluteUri.TrimEnd('/'), StringComparison.Ordinal);

    /// <summary>A body as Forem may give it back: line endings and outer whitespace do not make another article.</summary>
    private static string ComparableBody(string? body) => (body ?? "").ReplaceLineEndings("\n").Trim();

    /// <summary>Forem collapses whitespace in titles (docs/platforms.md, Dev.to, "Content limits"), so compare collapsed.</summary>
    private static string NormalizeTitle(string title) =>
        string.Join(' ', title.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
