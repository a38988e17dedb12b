using System.Text;
using Herald.Sandbox.Hosting;

namespace Herald.Sandbox.Threads;

/// <summary>
/// The simulated Threads' data: profiles (keyed by access token), media containers, published posts and the
/// rolling publishing quotas (docs/platforms.md, Threads). Every change happens under one lock, so a container is
/// published at most once however the calls race.
/// </summary>
public sealed class ThreadsState
{
    /// <summary>The rolling window of both publishing quotas (<c>quota_duration</c> 86,400 s).</summary>
    internal static readonly TimeSpan QuotaWindow = TimeSpan.FromHours(24);

    /// <summary>A container not published within 24 hours is <c>EXPIRED</c> (docs/platforms.md, Threads).</summary>
    internal static readonly TimeSpan ContainerLifetime = TimeSpan.FromHours(24);

    private const string Digits = "0123456789";
    private const string ShortcodeAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, ThreadsUser> _usersByToken = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ThreadsContainer> _containers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ThreadsPost> _postsById = new(StringComparer.Ordinal);
    private readonly List<ThreadsPost> _posts = [];
    private long _sequence;

    internal ThreadsState(SandboxState sandbox)
    {
        Sandbox = sandbox;
        lock (_lock)
        {
            AddUserLocked(SandboxAccounts.ThreadsUserId, SandboxAccounts.ThreadsUsername, SandboxAccounts.ThreadsToken, ThreadsPermissions.All, null);
        }
    }

    internal SandboxState Sandbox { get; }

    /// <summary>Every published post and reply, in publication order.</summary>
    public IReadOnlyList<ThreadsPost> Posts
    {
        get
        {
            lock (_lock)
            {
                return [.. _posts];
            }
        }
    }

    /// <summary>Every container created, published or not, as it is now.</summary>
    public IReadOnlyList<ThreadsContainer> Containers
    {
        get
        {
            lock (_lock)
            {
                return [.. _containers.Values.Select(c => c with { })];
            }
        }
    }

    /// <summary>
    /// Adds a profile that authenticates with <paramref name="accessToken"/>. Tests use one per scenario so that
    /// quotas and own-post listings do not mix.
    /// </summary>
    /// <param name="accessToken">The token.</param>
    /// <param name="username">The handle shown in permalinks.</param>
    /// <param name="permissions">What the token was granted; default every permission publishing needs.</param>
    /// <param name="expiresAt">When the token expires (error 190, subcode 463, from then on); null for never.</param>
    /// <exception cref="InvalidOperationException">The token is taken.</exception>
    public ThreadsUser AddUser(string accessToken, string username, IReadOnlySet<string>? permissions = null, DateTimeOffset? expiresAt = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        ArgumentException.ThrowIfNullOrEmpty(username);
        lock (_lock)
        {
            var id = NewId("260", candidate => _usersByToken.Values.Any(u => u.Id == candidate));
            return AddUserLocked(id, username, accessToken, permissions ?? ThreadsPermissions.All, expiresAt);
        }
    }

    /// <summary>The profile of a token, or Graph's error 190 when the token is unknown or expired.</summary>
    /// <summary>The profile <paramref name="accessToken"/> acts as, expired or not; null for a token never issued.</summary>
    internal ThreadsUser? FindByToken(string? accessToken)
    {
        if (string.IsNullOrEmpty(accessToken))
        {
            return null;
        }

        lock (_lock)
        {
            return _usersByToken.GetValueOrDefault(accessToken);
        }
    }

    internal (ThreadsUser? User, ThreadsGraphError? Error) Authenticate(string? accessToken)
    {
        var user = FindByToken(accessToken);
        if (user is null)
        {
            return (null, new ThreadsGraphError(400, 190, "Invalid OAuth access token - Cannot parse access token"));
        }

        var now = Sandbox.TimeProvider.GetUtcNow();
        if (user.ExpiresAt is { } expiry && now >= expiry)
        {
            return (null, new ThreadsGraphError(
                400, 190, $"Error validating access token: Session has expired on {expiry:R}. The current time is {now:R}.", Subcode: 463));
        }

        return (user, null);
    }

    /// <summary>
    /// Creates a container after Threads' checks: permission, media type, text, limits and the post replied to; an
    /// IMAGE container with the image already downloaded (<see cref="ThreadsImageFetch"/>), a CAROUSEL naming 2 to
    /// 20 FINISHED item containers of the same profile.
    /// </summary>
    internal (ThreadsContainer? Container, ThreadsGraphError? Error) CreateContainer(
        ThreadsUser user, string? mediaType, string? text, string? replyToId, string? replyControl, ThreadsContainerMedia? media = null)
    {
        media ??= new ThreadsContainerMedia();
        if (!user.Permissions.Contains(ThreadsPermissions.ContentPublish))
        {
            return (null, PermissionError(ThreadsPermissions.ContentPublish));
        }

        if (string.IsNullOrEmpty(mediaType))
        {
            return (null, InvalidParameter("The parameter media_type is required."));
        }

        if (mediaType is not ("TEXT" or "IMAGE" or "CAROUSEL"))
        {
            return (null, mediaType is "VIDEO"
                ? InvalidParameter("The sandbox simulates TEXT, IMAGE and CAROUSEL posts, not VIDEO.")
                : InvalidParameter("Param media_type must be one of {TEXT, IMAGE, VIDEO, CAROUSEL}."));
        }

        if (mediaType == "IMAGE" && media.Image is null)
        {
            return (null, InvalidParameter("Param image_url is required for an IMAGE post."));
        }

        if (media.Image is { AltText.Length: > ThreadsImageFetch.MaxAltText })
        {
            return (null, InvalidParameter($"Param alt_text must be at most {ThreadsImageFetch.MaxAltText} characters long."));
        }

        text ??= "";
        if (mediaType == "TEXT" && string.IsNullOrWhiteSpace(text))
        {
            return (null, InvalidParameter("Param text is required for a TEXT post."));
        }

        var characters = ThreadsTextRules.Characters(text);
        if (characters > ThreadsTextRules.MaxCharacters)
        {
            return (null, InvalidParameter(
                $"Param text must be at most {ThreadsTextRules.MaxCharacters} characters long.",
                userMessage: $"The text has {characters} characters (emoji count as their UTF-8 bytes); the limit is {ThreadsTextRules.MaxCharacters}."));
        }

        var links = ThreadsTextRules.UniqueLinks(text);
        if (links > ThreadsTextRules.MaxLinks)
        {
            // docs/platforms.md, Threads: since 2025-12-22 more than 5 links fail at container creation with this name.
            return (null, new ThreadsGraphError(
                400, 100, "THREADS_API__LINK_LIMIT_EXCEEDED",
                UserTitle: "Link limit exceeded",
                UserMessage: $"A post can contain at most {ThreadsTextRules.MaxLinks} unique links; this one has {links}.")
            { Type = ThreadsGraphError.GraphMethodException });
        }

        if (replyControl is not null &&
            replyControl is not ("everyone" or "accounts_you_follow" or "mentioned_only" or "parent_post_author_only" or "followers_only"))
        {
            return (null, InvalidParameter(
                "Param reply_control must be one of {everyone, accounts_you_follow, mentioned_only, parent_post_author_only, followers_only}."));
        }

        var now = Sandbox.TimeProvider.GetUtcNow();
        lock (_lock)
        {
            if (replyToId is not null)
            {
                // A reply names the *published* media id; a container id is not a post (docs/platforms.md, Threads).
                if (!_postsById.TryGetValue(replyToId, out var parent))
                {
                    return (null, InvalidParameter($"Param reply_to_id: the media {replyToId} does not exist or is not a published post.", subcode: 33));
                }

                if (!user.Permissions.Contains(ThreadsPermissions.ManageReplies))
                {
                    return (null, PermissionError(ThreadsPermissions.ManageReplies));
                }

                if (RootOf(parent).UserId != user.Id)
                {
                    return (null, new ThreadsGraphError(403, 10, "Application does not have permission for this action", UserMessage: "You can only reply within threads you own."));
                }
            }

            if (mediaType == "CAROUSEL" && CarouselProblemLocked(user, media.Children, now) is { } carouselError)
            {
                return (null, carouselError);
            }

            var id = NewId("178", _containers.ContainsKey);

            var container = new ThreadsContainer
            {
                Id = id,
                UserId = user.Id,
                Text = text,
                MediaType = mediaType,
                Image = media.Image is { } image ? image with { ContainerId = id } : null,
                IsCarouselItem = media.IsCarouselItem && mediaType == "IMAGE",
                Children = mediaType == "CAROUSEL" ? media.Children : [],
                ReplyToId = replyToId,
                CreatedAt = now,
                NotFoundPollsLeft = Math.Max(0, Sandbox.Options.Threads.NotFoundPolls),
                InProgressPollsLeft = Math.Max(0, Sandbox.Options.Threads.InProgressPolls),
            };
            _containers[id] = container;
            return (container with { }, null);
        }
    }

    /// <summary>
    /// One status check of a container of <paramref name="user"/>: error 24 / 4279009 while it cannot be seen yet,
    /// then <c>IN_PROGRESS</c> for the configured number of checks, then <c>FINISHED</c>; <c>PUBLISHED</c> once
    /// published, <c>EXPIRED</c> 24 hours after creation if never published. Null when it is not theirs.
    /// </summary>
    internal (string? Status, ThreadsGraphError? Error)? CheckContainer(ThreadsUser user, string containerId)
    {
        lock (_lock)
        {
            if (!_containers.TryGetValue(containerId, out var container) || container.UserId != user.Id)
            {
                return null;
            }

            if (container.MediaId is not null)
            {
                return ("PUBLISHED", null);
            }

            if (Sandbox.TimeProvider.GetUtcNow() >= container.CreatedAt + ContainerLifetime)
            {
                return ("EXPIRED", null);
            }

            if (container.NotFoundPollsLeft > 0)
            {
                container.NotFoundPollsLeft--;
                return (null, MediaNotFound(containerId));
            }

            if (container.InProgressPollsLeft > 0)
            {
                container.InProgressPollsLeft--;
                return ("IN_PROGRESS", null);
            }

            return ("FINISHED", null);
        }
    }

    /// <summary>Whether <paramref name="containerId"/> is a container of <paramref name="user"/>.</summary>
    internal bool IsContainerOf(ThreadsUser user, string containerId)
    {
        lock (_lock)
        {
            return _containers.TryGetValue(containerId, out var container) && container.UserId == user.Id;
        }
    }

    /// <summary>A post of <paramref name="user"/> by media id; null when there is none they may see.</summary>
    /// <summary>
    /// The direct replies to <paramref name="mediaId"/>, oldest first as Threads lists a conversation; null when the
    /// caller cannot see that post.
    /// </summary>
    internal IReadOnlyList<ThreadsPost>? RepliesTo(ThreadsUser user, string mediaId)
    {
        lock (_lock)
        {
            return _postsById.TryGetValue(mediaId, out var post) && post.UserId == user.Id
                ? [.. _posts.Where(p => p.ReplyToId == mediaId).OrderBy(p => p.Timestamp).ThenBy(p => p.Sequence)]
                : null;
        }
    }

    internal ThreadsPost? FindPost(ThreadsUser user, string mediaId)
    {
        lock (_lock)
        {
            return _postsById.TryGetValue(mediaId, out var post) && post.UserId == user.Id ? post : null;
        }
    }

    /// <summary>
    /// <c>threads_publish</c>: publishes a FINISHED container once. An unknown, expired or already published
    /// container, or one not ready yet, is refused with a Graph error; so is a profile over its rolling quota.
    /// </summary>
    internal (ThreadsPost? Post, ThreadsGraphError? Error) Publish(ThreadsUser user, string? creationId)
    {
        if (!user.Permissions.Contains(ThreadsPermissions.ContentPublish))
        {
            return (null, PermissionError(ThreadsPermissions.ContentPublish));
        }

        if (string.IsNullOrEmpty(creationId))
        {
            return (null, InvalidParameter("The parameter creation_id is required."));
        }

        var now = Sandbox.TimeProvider.GetUtcNow();
        lock (_lock)
        {
            if (!_containers.TryGetValue(creationId, out var container) || container.UserId != user.Id)
            {
                return (null, InvalidParameter($"Param creation_id: the media container {creationId} does not exist.", subcode: 33));
            }

            if (container.MediaId is not null)
            {
                return (null, InvalidParameter($"Param creation_id: the media container {creationId} has already been published."));
            }

            if (now >= container.CreatedAt + ContainerLifetime)
            {
                return (null, InvalidParameter($"Param creation_id: the media container {creationId} has expired; containers must be published within 24 hours."));
            }

            if (container.NotFoundPollsLeft > 0 || container.InProgressPollsLeft > 0)
            {
                return (null, MediaNotFound(creationId));
            }

            if (container.IsCarouselItem)
            {
                return (null, InvalidParameter($"Param creation_id: the media container {creationId} is a carousel item; publish the CAROUSEL container that names it."));
            }

            var children = container.Children.Select(c => _containers[c]).ToList();
            if (children.Any(c => c.MediaId is not null || now >= c.CreatedAt + ContainerLifetime))
            {
                return (null, InvalidParameter($"Param creation_id: an item of carousel {creationId} has expired or was published already."));
            }

            var isReply = container.ReplyToId is not null;
            var (posts, replies) = UsageLocked(user, now);
            var (used, quota) = isReply
                ? (replies, Sandbox.Options.Threads.RepliesPer24Hours)
                : (posts, Sandbox.Options.Threads.PostsPer24Hours);
            if (!Sandbox.Options.DisableRateLimits && used >= quota)
            {
                // The code Threads uses for its publishing quota is not documented (docs/platforms.md, Threads says only that
                // the limit is enforced at threads_publish); the Graph throttling code 4 stands in for it.
                return (null, new ThreadsGraphError(
                    400, 4, "Application request limit reached",
                    UserTitle: "Publishing limit reached",
                    UserMessage: $"This profile has published {used} {(isReply ? "replies" : "posts")} through the API in the last 24 hours, the most allowed ({quota})."));
            }

            var id = NewId("180", _postsById.ContainsKey);

            var post = new ThreadsPost
            {
                Id = id,
                UserId = user.Id,
                Username = user.Username,
                Text = container.Text,
                ReplyToId = container.ReplyToId,
                ContainerId = container.Id,
                MediaType = container.MediaType switch { "IMAGE" => "IMAGE", "CAROUSEL" => "CAROUSEL_ALBUM", _ => "TEXT_POST" },
                Images = container.Image is { } image ? [image] : [.. children.Select(c => c.Image!)],
                Shortcode = NewShortcode(),
                Timestamp = now,
                Sequence = ++_sequence,
            };
            container.MediaId = id;
            foreach (var child in children)
            {
                // The items went out with the carousel: PUBLISHED, and never usable again.
                child.MediaId = id;
            }

            _posts.Add(post);
            _postsById[id] = post;
            return (post, null);
        }
    }

    /// <summary>The image of an IMAGE container, whoever owns it; null when there is none.</summary>
    internal ThreadsImage? ImageOf(string containerId)
    {
        lock (_lock)
        {
            return _containers.GetValueOrDefault(containerId)?.Image;
        }
    }

    /// <summary>Why <paramref name="children"/> cannot make a carousel: 2 to 20 unpublished, FINISHED items of the profile.</summary>
    private ThreadsGraphError? CarouselProblemLocked(ThreadsUser user, IReadOnlyList<string> children, DateTimeOffset now)
    {
        if (children.Count is < 2 or > 20)
        {
            return InvalidParameter($"Param children must name 2 to 20 carousel item containers (it names {children.Count}).");
        }

        foreach (var child in children)
        {
            if (!_containers.TryGetValue(child, out var item) || item.UserId != user.Id || !item.IsCarouselItem)
            {
                return InvalidParameter($"Param children: {child} is not a carousel item container of this profile.", subcode: 33);
            }

            if (item.MediaId is not null || now >= item.CreatedAt + ContainerLifetime)
            {
                return InvalidParameter($"Param children: the carousel item {child} has expired or was published already.");
            }

            if (item.NotFoundPollsLeft > 0 || item.InProgressPollsLeft > 0)
            {
                return InvalidParameter($"Param children: the carousel item {child} is not FINISHED yet.");
            }
        }

        return null;
    }

    /// <summary>
    /// The profile's own posts, replies included (docs/platforms.md, Threads lists "own posts"), newest first, published at or
    /// after <paramref name="since"/> and at or before <paramref name="until"/> (Unix seconds), after or before
    /// the post a cursor names.
    /// </summary>
    internal (IReadOnlyList<ThreadsPost> Page, bool HasMore, bool CursorKnown) ListPosts(
        ThreadsUser user, long? since, long? until, int limit, string? afterId, string? beforeId)
    {
        lock (_lock)
        {
            var all = _posts
                .Where(p => p.UserId == user.Id)
                .Where(p => since is null || p.Timestamp.ToUnixTimeSeconds() >= since)
                .Where(p => until is null || p.Timestamp.ToUnixTimeSeconds() <= until)
                .OrderByDescending(p => p.Timestamp)
                .ThenByDescending(p => p.Sequence)
                .ToList();

            var start = 0;
            var end = all.Count;
            if (afterId is not null)
            {
                var index = all.FindIndex(p => p.Id == afterId);
                if (index < 0)
                {
                    return ([], false, false);
                }

                start = index + 1;
            }
            else if (beforeId is not null)
            {
                var index = all.FindIndex(p => p.Id == beforeId);
                if (index < 0)
                {
                    return ([], false, false);
                }

                end = index;
                start = Math.Max(0, end - limit);
            }

            var page = all.Skip(start).Take(Math.Min(limit, end - start)).ToList();
            return (page, start + page.Count < all.Count, true);
        }
    }

    /// <summary>Posts and replies the profile published in the last 24 hours, as <c>threads_publishing_limit</c> reports them.</summary>
    internal (int Posts, int Replies) Usage(ThreadsUser user)
    {
        var now = Sandbox.TimeProvider.GetUtcNow();
        lock (_lock)
        {
            return UsageLocked(user, now);
        }
    }

    internal string NewTraceId()
    {
        var id = new StringBuilder(11);
        for (var i = 0; i < 11; i++)
        {
            id.Append(ShortcodeAlphabet[Sandbox.NextRandom(0, 62)]);
        }

        return id.ToString();
    }

    internal static ThreadsGraphError InvalidParameter(string message, int? subcode = null, string? userMessage = null) =>
        new(400, 100, message, subcode, UserMessage: userMessage) { Type = ThreadsGraphError.GraphMethodException };

    /// <summary>Error 24 / subcode 4279009: the container cannot be found (yet) — retryable right after creation.</summary>
    internal static ThreadsGraphError MediaNotFound(string id) =>
        new(400, 24, "The requested resource does not exist", 4279009, "Media Not Found", $"The media with id {id} cannot be found.")
        {
            Type = ThreadsGraphError.GraphMethodException,
        };

    internal static ThreadsGraphError PermissionError(string permission) =>
        new(403, 10, "Application does not have permission for this action", UserMessage: $"The token lacks the {permission} permission.");

    private (int Posts, int Replies) UsageLocked(ThreadsUser user, DateTimeOffset now)
    {
        var recent = _posts.Where(p => p.UserId == user.Id && p.Timestamp > now - QuotaWindow).ToList();
        return (recent.Count(p => !p.IsReply), recent.Count(p => p.IsReply));
    }

    private ThreadsPost RootOf(ThreadsPost post)
    {
        while (post.ReplyToId is { } parent && _postsById.TryGetValue(parent, out var next))
        {
            post = next;
        }

        return post;
    }

    private ThreadsUser AddUserLocked(string id, string username, string accessToken, IReadOnlySet<string> permissions, DateTimeOffset? expiresAt)
    {
        if (_usersByToken.ContainsKey(accessToken))
        {
            throw new InvalidOperationException("A Threads sandbox profile already has that access token.");
        }

        var user = new ThreadsUser(id, username, accessToken, permissions, expiresAt);
        _usersByToken[accessToken] = user;
        return user;
    }

    /// <summary>A 17-digit id starting with <paramref name="prefix"/> (each kind of object has its own), not yet taken.</summary>
    private string NewId(string prefix, Func<string, bool> isTaken)
    {
        while (true)
        {
            var id = new StringBuilder(prefix, 17);
            while (id.Length < 17)
            {
                id.Append(Digits[Sandbox.NextRandom(0, 10)]);
            }

            if (!isTaken(id.ToString()))
            {
                return id.ToString();
            }
        }
    }

    private string NewShortcode()
    {
        var code = new StringBuilder("D", 11);
        for (var i = 1; i < 11; i++)
        {
            code.Append(ShortcodeAlphabet[Sandbox.NextRandom(0, ShortcodeAlphabet.Length)]);
        }

        return code.ToString();
    }
}
