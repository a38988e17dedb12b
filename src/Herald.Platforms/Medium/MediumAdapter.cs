using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Herald.Accounts;
using Herald.Contents;
using Herald.Formatting;
using Herald.Platforms.Http;
using Herald.Validation;
using Microsoft.Extensions.Options;

namespace Herald.Platforms.Medium;

/// <summary>
/// Publishes articles to Medium through its legacy API (docs/platforms.md, Medium): <c>GET /v1/me</c> for the author id
/// (asked once per account), each image uploaded with <c>POST /v1/images</c> (<see cref="MediumImages"/>), then
/// <c>POST /v1/users/{authorId}/posts</c> with Markdown content.
/// </summary>
/// <remarks>
/// The content is <c># {title}</c>, a blank line, and the Markdown body with relative links and images made
/// absolute against the canonical URL. Tags: the first three of at most 25 characters — Medium ignores
/// longer ones and any after the third (docs/platforms.md, Medium), so Herald leaves longer ones out and sends the
/// next ones instead. Account settings: <c>publish_status</c> (public, draft or unlisted; default public)
/// and <c>license</c> (Medium's default is all-rights-reserved). Content overrides for <c>medium</c>:
/// <c>title</c> and <c>tags</c> (comma-separated). Medium has no idempotency and no way to list one's
/// posts, so a create whose answer was lost cannot be checked: a person decides.
/// </remarks>
internal sealed partial class MediumAdapter : IPlatformAdapter, Checks.IAccountCheck, Media.IImageRoutes
{
    internal const string HttpClientName = "Herald.Medium";
    internal const string PlatformId = "medium";
    internal const string AccessTokenCredential = "access_token";
    internal const int MaxTags = 3;
    internal const int MaxTagLength = 25;

    private const string DisplayName = "Medium";
    private static readonly string[] PublishStatuses = ["public", "draft", "unlisted"];
    private static readonly string[] Licenses =
    [
        "all-rights-reserved", "cc-40-by", "cc-40-by-sa", "cc-40-by-nd", "cc-40-by-nc", "cc-40-by-nc-nd", "cc-40-by-nc-sa", "cc-40-zero", "public-domain",
    ];

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly TimeProvider _timeProvider;
    private readonly MediumOptions _options;
    private readonly ConcurrentDictionary<AccountId, string> _authorIds = new();
    private readonly MediumImages _images;

    public MediumAdapter(IHttpClientFactory httpClientFactory, IOptions<MediumOptions> options, TimeProvider timeProvider)
    {
        _httpClientFactory = httpClientFactory;
        _timeProvider = timeProvider;
        _options = options.Value;
        _images = new MediumImages(timeProvider);
        Platform = new PlatformDescriptor
        {
            Id = PlatformId,
            DisplayName = DisplayName,
            DefaultBaseUrl = _options.DefaultBaseUrl,
            Capabilities = new PlatformCapabilities
            {
                SupportsThreads = false,
                // Medium documents no rate limit (docs/platforms.md, Medium).
                DefaultRateLimit = null,
            },
        };
    }

    public PlatformDescriptor Platform { get; }

    /// <summary>Images are fitted to Medium's limits and uploaded (<see cref="MediumImages"/>).</summary>
    public Media.ImageRoute RouteOf(ContentImage image, Account account) => Media.ImageRoute.Upload(MediumImages.Target);

    public IReadOnlyList<ValidationProblem> Validate(Content content, Account account)
    {
        var problems = new List<ValidationProblem>();
        void Problem(string field, string message) => problems.Add(new ValidationProblem(field, message, PlatformId));

        if (!account.Credentials.Has(AccessTokenCredential))
        {
            Problem(AccessTokenCredential, "is required: give the account a Medium integration token (MEDIUM_ACCESS_TOKEN); Medium issues no new ones, an existing token still works");
        }

        if (PublishStatusOf(account) is null)
        {
            Problem("publish_status", $"must be one of {string.Join(", ", PublishStatuses)}, not '{account.Setting("publish_status")}'");
        }

        if (account.Setting("license") is { } license && !Licenses.Contains(license.Trim(), StringComparer.Ordinal))
        {
            Problem("license", $"must be one of {string.Join(", ", Licenses)}, not '{license}'");
        }

        if (string.IsNullOrWhiteSpace(TitleOf(content)))
        {
            Problem("title", "is required for Medium");
        }

        if (content.CanonicalUrl is { } canonical && !PlatformHttp.IsHttpUrl(canonical))
        {
            Problem("canonical_url", "must be an absolute http or https URL for Medium");
        }

        problems.AddRange(ImageRules.Validate(content, MediumImages.Limits, PlatformId, DisplayName));
        return problems;
    }

    /// <summary>
    /// The create body. The endpoint names the author as <c>{authorId}</c>: Herald learns it from <c>/v1/me</c> when it
    /// sends; an image's URL once Medium has it.
    /// </summary>
    public RenderedPayload Render(Content content, Account account) =>
        new("application/json", Serialize(BuildRequest(content, account, Placeholders(content))), "POST /v1/users/{authorId}/posts");

    public async Task<PublishOutcome> PublishAsync(PublishRequest request, CancellationToken cancellationToken = default)
    {
        var account = request.Account;
        var token = account.Credentials[AccessTokenCredential];
        if (string.IsNullOrEmpty(token))
        {
            return PublishOutcome.Permanent("The Medium account has no integration token: set MEDIUM_ACCESS_TOKEN or the account's access_token credential.");
        }

        if (PublishStatusOf(account) is null)
        {
            return PublishOutcome.Permanent($"Medium account setting 'publish_status' must be one of {string.Join(", ", PublishStatuses)}.");
        }

        var (authorId, failure) = await AuthorIdAsync(account, token, cancellationToken);
        if (authorId is null)
        {
            return failure!;
        }

        var client = _httpClientFactory.CreateClient(HttpClientName);
        IReadOnlyList<string> imageUrls = [];
        if (request.Content.Images.Count > 0)
        {
            var (urls, imageFailure) = await _images.UploadAsync(request, client, (method, relative) => Message(method, ApiUri(account, relative), token), cancellationToken);
            if (urls is null)
            {
                return imageFailure!;
            }

            imageUrls = urls;
        }

        using var message = Message(HttpMethod.Post, ApiUri(account, $"users/{Uri.EscapeDataString(authorId)}/posts"), token);
        message.Content = new StringContent(Serialize(BuildRequest(request.Content, account, imageUrls)), Encoding.UTF8, "application/json");
        using var answer = await PlatformHttp.SendAsync(client, message, DisplayName, cancellationToken);
        if (answer.Failure is { } sendFailure)
        {
            return sendFailure;
        }

        if (!answer.IsSuccess)
        {
            return MediumErrors.Classify(answer.Status, answer.Body, HttpOutcomes.RetryAfter(answer.Response, _timeProvider));
        }

        var created = PlatformHttp.TryDeserialize<MediumEnvelope<MediumPostCreated>>(answer.Body)?.Data;
        return string.IsNullOrEmpty(created?.Id)
            ? PublishOutcome.Unknown($"Medium accepted the post (HTTP {answer.Status}) but named no post id; the post may exist.", answer.Status)
            : PublishOutcome.Published(created.Id, PlatformHttp.ParseAbsolute(created.Url), answer.Status);
    }

    /// <summary>Medium has no idempotency and no endpoint that lists one's posts (docs/platforms.md, Medium, "Endpoints").</summary>
    public Task<ExistingPostLookup> FindExistingAsync(PublishRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(ExistingPostLookup.CannotTell(
            "Medium's API cannot list an author's posts and has no idempotency key; check the profile, then mark it posted or retry."));

    /// <summary>The first three tags of at most 25 characters, trimmed, without repeats (ignoring case).</summary>
    internal static IReadOnlyList<string> Tags(Content content)
    {
        var tags = content.OverrideFor(PlatformId, "tags") is { } overridden
            ? overridden.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : content.Tags;
        return tags.Select(t => t.Trim())
            .Where(t => t.Length > 0 && t.EnumerateRunes().Count() <= MaxTagLength)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Take(MaxTags)
            .ToList();
    }

    private static List<string> Placeholders(Content content) =>
        [.. content.Images.Select((_, i) => string.Create(CultureInfo.InvariantCulture, $"{{url of image {i + 1}}}"))];

    private static MediumCreatePostRequest BuildRequest(Content content, Account account, IReadOnlyList<string> imageUrls)
    {
        var canonical = content.CanonicalUrl is { } url && PlatformHttp.IsHttpUrl(url) ? url : null;
        var body = canonical is null ? content.Body : MarkdownText.MakeLinksAbsolute(content.Body, canonical);
        var title = TitleOf(content);
        var tags = Tags(content);
        return new MediumCreatePostRequest
        {
            Title = title,
            // Medium shows only the content: the title goes in as its heading (docs/platforms.md, Medium, "Create body").
            // The cover and the content's images come right under it, where a reader of an article expects them.
            Content = $"# {title}\n\n{MediumImages.Figures(content, imageUrls)}{(string.IsNullOrWhiteSpace(body) ? "" : body.Trim() + "\n")}".TrimEnd('\n') + "\n",
            Tags = tags.Count == 0 ? null : tags,
            CanonicalUrl = canonical?.AbsoluteUri,
            PublishStatus = PublishStatusOf(account) ?? "public",
            License = account.Setting("license")?.Trim(),
        };
    }

    private static string TitleOf(Content content) => (content.OverrideFor(PlatformId, "title") ?? content.Title).Trim();

    private static string? PublishStatusOf(Account account)
    {
        var status = account.Setting("publish_status")?.Trim().ToLowerInvariant() ?? "public";
        return PublishStatuses.Contains(status, StringComparer.Ordinal) ? status : null;
    }

    /// <summary>The token's user id from <c>GET /v1/me</c>, asked once per account; also the token check.</summary>
    private async Task<(string? AuthorId, PublishOutcome? Failure)> AuthorIdAsync(Account account, string token, CancellationToken cancellationToken)
    {
        if (_authorIds.TryGetValue(account.Id, out var cached))
        {
            return (cached, null);
        }

        using var message = Message(HttpMethod.Get, ApiUri(account, "me"), token);
        var client = _httpClientFactory.CreateClient(HttpClientName);
        using var answer = await PlatformHttp.SendAsync(client, message, DisplayName, cancellationToken);
        if (answer.Failure is { } failure)
        {
            // A read creates nothing: a lost answer is simply worth another try.
            return (null, failure.Kind == PublishOutcomeKind.Unknown ? PublishOutcome.Transient(failure.Error!) : failure);
        }

        if (!answer.IsSuccess)
        {
            return (null, MediumErrors.Classify(answer.Status, answer.Body, HttpOutcomes.RetryAfter(answer.Response, _timeProvider), create: false));
        }

        var id = PlatformHttp.TryDeserialize<MediumEnvelope<MediumUser>>(answer.Body)?.Data?.Id;
        if (string.IsNullOrEmpty(id))
        {
            return (null, PublishOutcome.Transient($"Medium answered /v1/me (HTTP {answer.Status}) without the user's id."));
        }

        _authorIds[account.Id] = id;
        return (id, null);
    }

    private Uri ApiUri(Account account, string relative) => PlatformHttp.Combine(account.BaseUrl ?? _options.DefaultBaseUrl, relative);

    /// <summary>The headers docs/platforms.md, Medium asks for on every call: Bearer token, JSON, UTF-8.</summary>
    private static HttpRequestMessage Message(HttpMethod method, Uri uri, string token)
    {
        var message = new HttpRequestMessage(method, uri);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        message.Headers.AcceptCharset.Add(new StringWithQualityHeaderValue("utf-8"));
        message.Headers.UserAgent.Add(new ProductInfoHeaderValue("Herald", "1.0"));
        return message;
    }

    private static string Serialize(MediumCreatePostRequest request) => JsonSerializer.Serialize(request, PlatformHttp.Json);
}
