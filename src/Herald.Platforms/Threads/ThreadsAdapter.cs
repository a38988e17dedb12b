using System.Globalization;
using Herald.Accounts;
using Herald.Contents;
using Herald.DependencyInjection;
using Herald.Formatting.Text;
using Herald.Validation;
using Microsoft.Extensions.Options;

namespace Herald.Platforms.Threads;

/// <summary>
/// Publishes to Threads through Meta's Threads API (docs/platforms.md, Threads): a short post, an article's teaser, or a
/// thread of replies, each within Threads' 500 characters and 5 links.
/// </summary>
/// <remarks>
/// <para>The text comes from <see cref="ShortForm"/> with <see cref="ThreadsTextCounter.Instance"/>. Every post is a
/// container (<c>POST /{user}/threads</c>, <c>media_type=TEXT</c>) published by <c>threads_publish</c>; a thread's
/// parts are each a reply (<c>reply_to_id</c>) to the previous part's published media id, confirmed one by one
/// through <see cref="PublishRequest.OnPartConfirmed"/>. See <see cref="ThreadsPartPublisher"/> for why a
/// resend never publishes twice.</para>
/// <para>Account: credential <c>access_token</c> (a Threads user token with threads_basic and
/// threads_content_publish, plus threads_manage_replies for threads); setting <c>user_id</c> (the Threads user
/// id, default <c>me</c>). In a rendered reply's body, <c>part-N-media-id</c> stands for the media id of part N,
/// known only once it is published; the token is added to every request and never rendered.</para>
/// </remarks>
internal sealed partial class ThreadsAdapter : IPlatformAdapter, Checks.IAccountCheck, Media.IImageRoutes
{
    internal const string HttpClientName = "Herald.Threads";
    internal const string PlatformId = "threads";
    internal const string AccessTokenCredential = "access_token";
    internal const string UserIdSetting = "user_id";

    private const string DisplayName = "Threads";

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly TimeProvider _timeProvider;
    private readonly ThreadsOptions _options;
    private readonly ContentLimits _contentLimits;
    private readonly Uri? _publicBase;

    public ThreadsAdapter(
        IHttpClientFactory httpClientFactory, IOptions<ThreadsOptions> options, TimeProvider timeProvider, ContentLimits contentLimits, IOptions<HeraldOptions> herald)
    {
        _publicBase = herald.Value.PublicBaseUri;
        _contentLimits = contentLimits;
        _httpClientFactory = httpClientFactory;
        _timeProvider = timeProvider;
        _options = options.Value;
        Platform = new PlatformDescriptor
        {
            Id = PlatformId,
            DisplayName = DisplayName,
            // Not "thread": that is a thread of posts on any platform, not this one.
            Aliases = ["threads.net", "meta-threads"],
            DefaultBaseUrl = _options.DefaultBaseUrl,
            Capabilities = new PlatformCapabilities
            {
                SupportsThreads = true,
                // docs/platforms.md, Threads: 250 API-published posts per profile per rolling 24 hours.
                DefaultRateLimit = new RateLimitDefault(250, TimeSpan.FromHours(24)),
            },
        };
    }

    public PlatformDescriptor Platform { get; }

    /// <summary>Threads downloads each image: a remote JPEG or PNG within its limits from its own URL, any other from Herald's fitted copy.</summary>
    public Media.ImageRoute RouteOf(ContentImage image, Account account) => image.IsRemote && ThreadsImages.SourceFits(image)
        ? Media.ImageRoute.Download(ThreadsImages.UrlOf(image, _publicBase), null, image.IsStored ? null : ThreadsImages.SourceCondition)
        : Media.ImageRoute.Download(ThreadsImages.UrlOf(image, _publicBase), ThreadsImages.Target);

    public IReadOnlyList<ValidationProblem> Validate(Content content, Account account)
    {
        var problems = new List<ValidationProblem>();
        void Problem(string field, string message) => problems.Add(new ValidationProblem(field, message, PlatformId));

        if (!account.Credentials.Has(AccessTokenCredential))
        {
            Problem(AccessTokenCredential, "is required: give the account a Threads user access token with threads_basic and threads_content_publish (THREADS_ACCESS_TOKEN)");
        }

        if (UserIdOf(account) is null)
        {
            Problem(UserIdSetting, $"must be the Threads user id (digits) or 'me', not '{account.Setting(UserIdSetting)}'");
        }

        var composed = Compose(content);
        if (composed.Error is { } error)
        {
            Problem("body", $"cannot be cut into Threads posts: {error}");
        }
        else if (composed.Parts.Count == 0 || composed.Parts.All(string.IsNullOrWhiteSpace))
        {
            Problem("body", "has no text to post on Threads");
        }

        for (var i = 0; i < composed.Parts.Count; i++)
        {
            var count = ThreadsTextCounter.Instance.Count(composed.Parts[i]);
            if (!count.IsWithinLimit)
            {
                Problem("body", $"part {i + 1} does not fit a Threads post ({count}; at most 500 characters and 5 links)");
            }
        }

        problems.AddRange(ThreadsImages.Problems(content, _publicBase, PlatformId));
        return problems;
    }

    public RenderedPayload Render(Content content, Account account)
    {
        var parts = Compose(content).Parts;
        var rendered = parts.Select((text, index) => RenderPart(text, index, index == 0 ? content.Images : [])).ToList();
        var body = rendered.Count > 0 ? rendered[0].Body! : ThreadsForm.Encode(ThreadsForm.TextContainer("", null));
        return new RenderedPayload(ThreadsForm.MediaType, body, $"POST /{UserIdOf(account) ?? "me"}/threads") { Parts = rendered };
    }

    public async Task<PublishOutcome> PublishAsync(PublishRequest request, CancellationToken cancellationToken = default)
    {
        var (api, parts, refused) = Prepare(request);
        if (refused is not null)
        {
            return refused;
        }

        var confirmed = request.ConfirmedParts;
        if (confirmed.Count >= parts.Count)
        {
            // Nothing is sent; only the permalink, which the ids alone do not give, is read.
            return PublishOutcome.Published(confirmed[0], await PermalinkAsync(api!, confirmed[0], cancellationToken));
        }

        var ownPosts = new ThreadsOwnPosts(api!, _timeProvider);
        if (await ownPosts.UsedUpQuotaAsync(forReply: confirmed.Count > 0, cancellationToken) is { } limited)
        {
            return InContext(limited, confirmed.Count, parts.Count);
        }

        var publisher = new ThreadsPartPublisher(api!, ownPosts, _options, _timeProvider);
        var images = new ThreadsImageContainers(api!, publisher, _publicBase, _timeProvider);
        var ids = confirmed.ToList();
        int? status = null;
        for (var index = confirmed.Count; index < parts.Count; index++)
        {
            // The images go on the first part: an image or carousel container instead of a text one.
            var (text, replyTo) = (parts[index], ids.LastOrDefault());
            Func<CancellationToken, Task<(string?, PublishOutcome?)>>? container = index == 0 && request.Content.Images.Count > 0
                ? ct => images.ContainerAsync(request, text, replyTo, ct)
                : null;
            var part = await publisher.PublishAsync(text, replyTo, ids, cancellationToken, container);
            if (part.Failure is { } failure)
            {
                return InContext(failure, index, parts.Count);
            }

            // Stored before the next part goes out, so that a resumed thread continues after this one.
            await request.OnPartConfirmed(part.MediaId!, cancellationToken);
            ids.Add(part.MediaId!);
            status = part.Status ?? status;
        }

        return PublishOutcome.Published(ids[0], await PermalinkAsync(api!, ids[0], cancellationToken), status);
    }

    /// <summary>
    /// Looks among the account's own posts (<c>GET /{user}/threads</c>) for the next part to send — the first part
    /// after <see cref="PublishRequest.ConfirmedParts"/> — by its exact text: published since the content was
    /// created (an hour's clock skew allowed) for a first part, since the previous part for a reply.
    /// </summary>
    /// <remarks>
    /// A reply part is first looked for among the replies to the part before it (<c>GET /{media-id}/replies</c>): when
    /// they can be read, the answer is definitive, and a half-posted thread resumes. Only when they cannot is the own
    /// listing searched; docs/platforms.md, Threads does not say whether it holds replies, so a miss there is only "not found"
    /// when the listing shows that it does (the previous part, itself a reply, was seen); otherwise Herald cannot
    /// tell, and a person decides.
    /// </remarks>
    public async Task<ExistingPostLookup> FindExistingAsync(PublishRequest request, CancellationToken cancellationToken = default)
    {
        var (api, parts, refused) = Prepare(request);
        if (refused is not null)
        {
            return ExistingPostLookup.CannotTell($"Herald cannot look on Threads: {refused.Error}");
        }

        var confirmed = request.ConfirmedParts;
        var index = confirmed.Count;
        if (index >= parts.Count)
        {
            return ExistingPostLookup.NotFound("Every part is confirmed already; a resend publishes nothing.");
        }

        DateTimeOffset? since = request.Content.CreatedAt > DateTimeOffset.MinValue
            ? request.Content.CreatedAt - ThreadsPartPublisher.ClockSkew
            : null;
        string? previous = null;
        if (index > 0)
        {
            previous = confirmed[index - 1];
            var media = await api!.MediaAsync(previous, "id,timestamp", cancellationToken);
            if (media.Value?.PublishedAt is not { } previousAt)
            {
                return ExistingPostLookup.CannotTell(
                    $"Threads did not show when part {index} ({previous}) was published: {media.Failure?.Error ?? "no timestamp"}");
            }

            since = previousAt;
        }

        var ownPosts = new ThreadsOwnPosts(api!, _timeProvider);
        var which = parts.Count > 1 ? $"part {index + 1} of {parts.Count}" : "the post";
        if (previous is not null)
        {
            // A reply part hangs under the part before it: its replies say for sure, whatever the own listing holds.
            var replies = await ownPosts.FindReplyAsync(previous, parts[index], confirmed.ToList(), cancellationToken);
            if (replies.Match is { Id: { } replyId } reply)
            {
                return ExistingPostLookup.Found(replyId, Uri.TryCreate(reply.Permalink, UriKind.Absolute, out var replyUrl) ? replyUrl : null);
            }

            if (replies.Complete)
            {
                return ExistingPostLookup.NotFound($"No reply of the account to part {index} ({previous}) has the text of {which}.");
            }
        }

        var search = await ownPosts.FindAsync(parts[index], since, confirmed.ToList(), previous, cancellationToken);
        var window = since is { } from ? string.Create(CultureInfo.InvariantCulture, $" since {from.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC") : "";
        if (search.Problem is { } problem)
        {
            return ExistingPostLookup.Unavailable($"Herald could not look for {which}: {problem}");
        }

        if (search.Match is { Id: { } id } match)
        {
            return ExistingPostLookup.Found(id, Uri.TryCreate(match.Permalink, UriKind.Absolute, out var url) ? url : null);
        }

        if (!search.Complete)
        {
            return ExistingPostLookup.CannotTell(
                $"No post with the text of {which} among the newest {ThreadsOwnPosts.MaxPages * ThreadsApi.PageSize:N0} posts of the account{window}; older ones were not checked.");
        }

        if (index == 0)
        {
            return ExistingPostLookup.NotFound($"No post of the account has the text of {which}{window}.");
        }

        return index >= 2 && search.SawWatched
            ? ExistingPostLookup.NotFound($"No reply of the account has the text of {which}{window}, and the listing shows replies.")
            : ExistingPostLookup.CannotTell(
                $"No post of the account has the text of {which}{window}, but Threads may not list replies among its own posts " +
                "(docs/platforms.md, Threads does not say), so the reply may exist.");
    }

    /// <summary>What a call needs: the API for the account and the parts; or why it cannot be made.</summary>
    private (ThreadsApi? Api, IReadOnlyList<string> Parts, PublishOutcome? Refused) Prepare(PublishRequest request)
    {
        var account = request.Account;
        var token = account.Credentials[AccessTokenCredential];
        if (string.IsNullOrEmpty(token))
        {
            return (null, [], PublishOutcome.Permanent("The Threads account has no access token: set THREADS_ACCESS_TOKEN or the account's access_token credential."));
        }

        if (UserIdOf(account) is not { } userId)
        {
            return (null, [], PublishOutcome.Permanent($"Threads account setting '{UserIdSetting}' must be the Threads user id (digits) or 'me'."));
        }

        var composed = Compose(request.Content);
        if (composed.Error is not null || composed.Parts.Count == 0)
        {
            return (null, [], PublishOutcome.Permanent($"The content cannot be posted on Threads: {composed.Error ?? "it has no text"}."));
        }

        var client = _httpClientFactory.CreateClient(HttpClientName);
        return (new ThreadsApi(client, account.BaseUrl ?? _options.DefaultBaseUrl, userId, token, _timeProvider), composed.Parts, null);
    }

    private ShortFormText Compose(Content content) => ShortForm.Compose(content, PlatformId, ThreadsTextCounter.Instance, limits: _contentLimits);

    private RenderedPart RenderPart(string text, int index, IReadOnlyList<ContentImage> images)
    {
        var count = ThreadsTextCounter.Instance.Count(text);
        var links = count.Measure(TextUnits.Links)!;
        string Url(int i) => ThreadsImages.UrlOf(images[i], _publicBase)?.AbsoluteUri ?? $"{{public URL of image {i + 1}}}";
        var fields = images.Count switch
        {
            0 => ThreadsForm.TextContainer(text, index == 0 ? null : ReplyPlaceholder(index)),
            1 => ThreadsForm.ImageContainer(Url(0), images[0].Alt, text, null, carouselItem: false),
            _ => ThreadsForm.CarouselContainer([.. images.Select((_, i) => $"{{container of image {i + 1}}}")], text, null),
        };
        return new RenderedPart(text, count.Count, count.Limit, count.Unit)
        {
            Secondary = (links.Count, links.Limit, links.Unit),
            Body = ThreadsForm.Encode(fields),
            FittingLength = count.IsWithinLimit ? null : TextFit.FittingLength(text, ThreadsTextCounter.Instance),
        };
    }

    /// <summary>Stands for the media id of part <paramref name="part"/> (1-based) in a rendered reply.</summary>
    internal static string ReplyPlaceholder(int part) => $"part-{part}-media-id";

    /// <summary>The permalink (<c>GET /{media-id}?fields=permalink</c>); null when Threads does not give one.</summary>
    /// <remarks>
    /// A URL is never built by hand: a permalink holds a shortcode the media id does not give (docs/platforms.md, Threads),
    /// so without the field the URL stays unknown.
    /// </remarks>
    private static async Task<Uri?> PermalinkAsync(ThreadsApi api, string mediaId, CancellationToken cancellationToken)
    {
        var media = await api.MediaAsync(mediaId, "permalink", cancellationToken);
        return Uri.TryCreate(media.Value?.Permalink, UriKind.Absolute, out var url) ? url : null;
    }

    private static PublishOutcome InContext(PublishOutcome outcome, int index, int count) =>
        count > 1 ? outcome with { Error = $"Part {index + 1} of {count}: {outcome.Error}" } : outcome;

    private static string? UserIdOf(Account account)
    {
        var userId = account.Setting(UserIdSetting)?.Trim() ?? "me";
        return userId == "me" || (userId.Length > 0 && userId.All(char.IsAsciiDigit)) ? userId : null;
    }
}
