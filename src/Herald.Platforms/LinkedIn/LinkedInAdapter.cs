using System.Globalization;
using System.Text.Json;
using Herald.Accounts;
using Herald.Contents;
using Herald.Formatting.Text;
using Herald.Platforms.Http;
using Herald.Validation;
using Microsoft.Extensions.Options;

namespace Herald.Platforms.LinkedIn;

/// <summary>
/// Publishes to LinkedIn (docs/platforms.md, LinkedIn) in one of two modes, chosen by the account setting <c>mode</c>:
/// <c>manual</c> (the default) prepares a ready-to-paste draft and leaves the publication waiting for the
/// user to post it by hand; <c>api</c> posts through <c>POST /rest/posts</c> with the member's access token.
/// </summary>
/// <remarks>
/// In API mode every reserved little-text character is escaped, since LinkedIn silently cuts a post at the
/// first one that is not; tags become clickable hashtag templates. A resend of the same text is refused by
/// LinkedIn with 422 <c>DUPLICATE_POST</c> naming the existing post, which Herald takes as that post: this is
/// what makes a resend after an unknown outcome safe. Settings: <c>author_urn</c> (<c>urn:li:person:…</c> or
/// <c>urn:li:organization:…</c>), <c>visibility</c> (PUBLIC, CONNECTIONS or LOGGED_IN; default PUBLIC),
/// <c>hook</c> and <c>cta</c> (see <see cref="LinkedInPostText"/>).
/// </remarks>
internal sealed partial class LinkedInAdapter : IPlatformAdapter, Checks.IAccountCheck, Media.IImageRoutes
{
    internal const string HttpClientName = "Herald.LinkedIn";
    internal const string PlatformId = "linkedin";
    internal const string AccessTokenCredential = "access_token";

    private const string DisplayName = "LinkedIn";
    private static readonly string[] Visibilities = ["PUBLIC", "CONNECTIONS", "LOGGED_IN"];

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly TimeProvider _timeProvider;
    private readonly LinkedInOptions _options;
    private readonly LinkedInImages _images;

    public LinkedInAdapter(IHttpClientFactory httpClientFactory, IOptions<LinkedInOptions> options, TimeProvider timeProvider)
    {
        _httpClientFactory = httpClientFactory;
        _timeProvider = timeProvider;
        _options = options.Value;
        _images = new LinkedInImages(timeProvider, _options);
        Platform = new PlatformDescriptor
        {
            Id = PlatformId,
            DisplayName = DisplayName,
            Aliases = ["li"],
            DefaultBaseUrl = _options.DefaultBaseUrl,
            Capabilities = new PlatformCapabilities
            {
                SupportsThreads = false,
                // LinkedIn publishes no numbers (daily member and application quotas, reset at midnight UTC).
                DefaultRateLimit = null,
            },
        };
    }

    private enum Mode
    {
        Manual,
        Api,
    }

    public PlatformDescriptor Platform { get; }

    /// <summary>In API mode images are fitted and uploaded (<see cref="LinkedInImages"/>); in manual mode a person attaches them.</summary>
    public Media.ImageRoute RouteOf(ContentImage image, Account account) =>
        ModeOf(account) == Mode.Api ? Media.ImageRoute.Upload(LinkedInImages.Target) : Media.ImageRoute.ByHand;

    public IReadOnlyList<ValidationProblem> Validate(Content content, Account account)
    {
        var problems = new List<ValidationProblem>();
        void Problem(string field, string message) => problems.Add(new ValidationProblem(field, message, PlatformId));

        var mode = ModeOf(account);
        if (mode is null)
        {
            Problem("mode", $"must be manual (a draft to paste) or api (post through the API), not '{account.Setting("mode")}'");
        }

        if (mode == Mode.Api)
        {
            if (!account.Credentials.Has(AccessTokenCredential))
            {
                Problem(AccessTokenCredential, "is required in api mode: give the account a LinkedIn access token with w_member_social (LINKEDIN_ACCESS_TOKEN)");
            }

            var author = account.Setting("author_urn");
            if (author is null)
            {
                Problem("author_urn", "is required in api mode: the member (urn:li:person:…) or page (urn:li:organization:…) to post as (LINKEDIN_AUTHOR_URN)");
            }
            else if (!IsAuthorUrn(author))
            {
                Problem("author_urn", $"must look like urn:li:person:<id> or urn:li:organization:<id>, not '{author}'");
            }

            if (VisibilityOf(account) is null)
            {
                Problem("visibility", $"must be one of {string.Join(", ", Visibilities)}, not '{account.Setting("visibility")}'");
            }
        }

        var parts = LinkedInPostText.Compose(content, account);
        if (parts.Body.Length == 0 && parts.Hook is null)
        {
            Problem("body", "has no text to post on LinkedIn");
        }

        var fixedLength = LinkedInPostText.FixedLength(parts);
        if (fixedLength > LinkedInPostText.MaxLength - 100)
        {
            Problem(
                "cta",
                string.Create(CultureInfo.InvariantCulture, $"with the hook, link and hashtags must leave room for the text: they take {fixedLength:N0} of LinkedIn's {LinkedInPostText.MaxLength:N0} characters"));
        }

        problems.AddRange(ImageRules.Validate(content, LinkedInImages.Limits, PlatformId, DisplayName));
        return problems;
    }

    public RenderedPayload Render(Content content, Account account)
    {
        var parts = LinkedInPostText.Fit(LinkedInPostText.Compose(content, account));
        var draft = LinkedInPostText.Draft(parts);
        // The image URNs are known once the images are uploaded.
        var placeholders = content.Images.Select((_, i) => string.Create(CultureInfo.InvariantCulture, $"{{urn of image {i + 1}}}")).ToList();
        var payload = ModeOf(account) == Mode.Api
            ? new RenderedPayload("application/json", Serialize(BuildRequest(parts, account, content, placeholders)), "POST /rest/posts")
            : new RenderedPayload("text/plain", draft + LinkedInImages.ManualList(content), null);
        return payload with
        {
            Parts = [new RenderedPart(draft, LinkedInPostText.Length(draft), LinkedInPostText.MaxLength, "code points")
            {
                FittingLength = LinkedInPostText.Length(draft) <= LinkedInPostText.MaxLength
                    ? null
                    : TextFit.FittingLength(draft, text => LinkedInPostText.Length(text) <= LinkedInPostText.MaxLength),
            }],
        };
    }

    public async Task<PublishOutcome> PublishAsync(PublishRequest request, CancellationToken cancellationToken = default)
    {
        var account = request.Account;
        var parts = LinkedInPostText.Fit(LinkedInPostText.Compose(request.Content, account));
        switch (ModeOf(account))
        {
            case Mode.Manual:
                return PublishOutcome.ManualActionRequired(LinkedInPostText.Draft(parts) + LinkedInImages.ManualList(request.Content));
            case null:
                return PublishOutcome.Permanent($"LinkedIn account setting 'mode' must be manual or api, not '{account.Setting("mode")}'.");
        }

        var token = account.Credentials[AccessTokenCredential];
        if (string.IsNullOrEmpty(token) || account.Setting("author_urn") is not { } author || !IsAuthorUrn(author))
        {
            return PublishOutcome.Permanent(
                "The LinkedIn account is in api mode but lacks an access token or a valid author_urn: set LINKEDIN_ACCESS_TOKEN and LINKEDIN_AUTHOR_URN.");
        }

        if (VisibilityOf(account) is null)
        {
            return PublishOutcome.Permanent($"LinkedIn account setting 'visibility' must be one of {string.Join(", ", Visibilities)}.");
        }

        var caller = new LinkedInCaller(
            _httpClientFactory.CreateClient(HttpClientName), account.BaseUrl ?? _options.DefaultBaseUrl, token, _options.Version);
        IReadOnlyList<string> imageUrns = [];
        if (request.Content.Images.Count > 0)
        {
            var (urns, imageFailure) = await _images.UploadAsync(request, caller, author, cancellationToken);
            if (urns is null)
            {
                return imageFailure!;
            }

            imageUrns = urns;
        }

        var body = Serialize(BuildRequest(parts, account, request.Content, imageUrns));
        using var answer = await caller.SendAsync(HttpMethod.Post, caller.Rest("posts"), LinkedInCaller.Json(body), cancellationToken);
        if (answer.Failure is { } failure)
        {
            return failure;
        }

        if (!answer.IsSuccess)
        {
            return LinkedInErrors.Classify(
                answer.Response.StatusCode, answer.Body, HttpOutcomes.RetryAfter(answer.Response, _timeProvider), _options.Version, _timeProvider.GetUtcNow());
        }

        // The new post's URN is only in the x-restli-id header (docs/platforms.md, LinkedIn, "Response").
        var urn = answer.Header("x-restli-id");
        return string.IsNullOrEmpty(urn)
            ? PublishOutcome.Unknown($"LinkedIn accepted the post (HTTP {answer.Status}) but named no post URN; the post may exist.", answer.Status)
            : PublishOutcome.Published(urn, LinkedInErrors.PostUrl(urn), answer.Status);
    }

    /// <summary>
    /// LinkedIn cannot be searched without a restricted read permission, but it refuses the same text twice
    /// with 422 <c>DUPLICATE_POST</c> naming the earlier post, and Herald resends exactly the same text:
    /// a resend is safe, and finds the earlier post if there is one.
    /// </summary>
    public Task<ExistingPostLookup> FindExistingAsync(PublishRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(ModeOf(request.Account) == Mode.Api
            ? ExistingPostLookup.NotFound("LinkedIn refuses a repeat of the same text and names the earlier post, so resending is safe.")
            : ExistingPostLookup.CannotTell("A manual LinkedIn draft is posted by hand; only its author knows whether it was."));

    private static LinkedInPostRequest BuildRequest(LinkedInPostParts parts, Account account, Content content, IReadOnlyList<string> imageUrns) => new()
    {
        Author = account.Setting("author_urn") ?? "",
        Commentary = LinkedInPostText.Commentary(parts),
        Visibility = VisibilityOf(account) ?? "PUBLIC",
        Content = PostContent(content, imageUrns),
    };

    /// <summary>One image as <c>content.media</c>, several as <c>content.multiImage</c>; <c>alt: ""</c> sends no altText.</summary>
    private static LinkedInPostContent? PostContent(Content content, IReadOnlyList<string> imageUrns)
    {
        var images = imageUrns
            .Select((urn, i) => new LinkedInPostImage(urn, string.IsNullOrEmpty(content.Images[i].Alt) ? null : content.Images[i].Alt))
            .ToList();
        return images.Count switch
        {
            0 => null,
            1 => new LinkedInPostContent { Media = images[0] },
            _ => new LinkedInPostContent { MultiImage = new LinkedInMultiImage(images) },
        };
    }

    private static Mode? ModeOf(Account account) => account.Setting("mode")?.Trim().ToLowerInvariant() switch
    {
        null or "manual" => Mode.Manual,
        "api" => Mode.Api,
        _ => null,
    };

    private static string? VisibilityOf(Account account)
    {
        var visibility = account.Setting("visibility")?.Trim().ToUpperInvariant() ?? "PUBLIC";
        return Visibilities.Contains(visibility, StringComparer.Ordinal) ? visibility : null;
    }

    private static bool IsAuthorUrn(string urn) =>
        (urn.StartsWith("urn:li:person:", StringComparison.Ordinal) && urn.Length > "urn:li:person:".Length) ||
        (urn.StartsWith("urn:li:organization:", StringComparison.Ordinal) && urn.Length > "urn:li:organization:".Length);

    private static string Serialize(LinkedInPostRequest request) => JsonSerializer.Serialize(request, PlatformHttp.Json);
}
