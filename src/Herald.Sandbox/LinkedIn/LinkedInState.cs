using System.Globalization;
using System.Text;
using Herald.Sandbox.Hosting;

namespace Herald.Sandbox.LinkedIn;

/// <summary>
/// The simulated LinkedIn's data: members (keyed by access token), posts, and each member's daily post
/// count. Validation, the duplicate check and the insert happen under one lock.
/// </summary>
public sealed class LinkedInState
{
    /// <summary>The commentary limit LinkedIn applies, in characters (docs/platforms.md, LinkedIn, "Limits").</summary>
    internal const int MaxCommentaryLength = 3000;

    private static readonly HashSet<string> Visibilities = ["PUBLIC", "CONNECTIONS", "LOGGED_IN", "CONTAINER"];
    private static readonly HashSet<string> LifecycleStates = ["PUBLISHED", "DRAFT"];

    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedInMember> _membersByToken = new(StringComparer.Ordinal);
    private readonly List<LinkedInPost> _posts = [];
    private readonly Dictionary<string, (DateOnly Day, int Count)> _dailyPosts = new(StringComparer.Ordinal);

    internal LinkedInState(SandboxState sandbox)
    {
        Sandbox = sandbox;
        Images = new LinkedInImageState(sandbox);
        AddMember(SandboxAccounts.LinkedInToken, SandboxAccounts.LinkedInAuthorUrn);
    }

    internal SandboxState Sandbox { get; }

    /// <summary>The Images API's images.</summary>
    public LinkedInImageState Images { get; }

    /// <summary>Every accepted post, in creation order.</summary>
    public IReadOnlyList<LinkedInPost> Posts
    {
        get
        {
            lock (_lock)
            {
                return [.. _posts];
            }
        }
    }

    /// <summary>Adds a member who authenticates with <paramref name="accessToken"/> and posts as <paramref name="authorUrn"/>.</summary>
    /// <exception cref="InvalidOperationException">The token is taken.</exception>
    public LinkedInMember AddMember(string accessToken, string authorUrn)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        ArgumentException.ThrowIfNullOrEmpty(authorUrn);
        lock (_lock)
        {
            if (_membersByToken.ContainsKey(accessToken))
            {
                throw new InvalidOperationException("A LinkedIn sandbox member already has that access token.");
            }

            var member = new LinkedInMember(accessToken, authorUrn);
            _membersByToken[accessToken] = member;
            return member;
        }
    }

    internal LinkedInMember? FindMember(string? accessToken)
    {
        if (string.IsNullOrEmpty(accessToken))
        {
            return null;
        }

        lock (_lock)
        {
            return _membersByToken.GetValueOrDefault(accessToken);
        }
    }

    internal LinkedInPost? Find(string urn)
    {
        lock (_lock)
        {
            return _posts.FirstOrDefault(p => p.Urn == urn);
        }
    }

    /// <summary>
    /// A version is active for about a year after its month (docs/platforms.md, LinkedIn): here, the twelve months up to
    /// and including the sandbox clock's month.
    /// </summary>
    internal bool IsActiveVersion(string version)
    {
        if (version.Length != 6 ||
            !DateOnly.TryParseExact(version + "01", "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
        {
            return false;
        }

        var now = DateOnly.FromDateTime(Sandbox.TimeProvider.GetUtcNow().UtcDateTime);
        var current = new DateOnly(now.Year, now.Month, 1);
        return month <= current && month > current.AddMonths(-12);
    }

    /// <summary>Creates a post the way the Posts API does: permission, fields, daily quota, duplicate check.</summary>
    internal LinkedInCreateResult Create(LinkedInMember member, LinkedInCreateInput input)
    {
        if (input.Author != member.AuthorUrn)
        {
            return new LinkedInCreateResult(null, 403, new
            {
                serviceErrorCode = 100,
                code = "ACCESS_DENIED",
                message = $"Not enough permissions to access: partnerApiPostsExternal.CREATE.20260101 as {input.Author}",
                status = 403,
            });
        }

        var invalid = Validate(input);
        if (invalid is not null)
        {
            return new LinkedInCreateResult(null, 400, BadRequest(invalid));
        }

        var (images, imageStatus, imageError) = Images.ForPost(member.AuthorUrn, [.. input.Images.Select(i => i.Id)]);
        if (images is null)
        {
            return new LinkedInCreateResult(null, imageStatus, imageError);
        }

        var now = Sandbox.TimeProvider.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var (shown, cutAtReserved) = LinkedInLittleText.Parse(input.Commentary!);
        var cutAtLimit = shown.EnumerateRunes().Count() > MaxCommentaryLength;
        if (cutAtLimit)
        {
            shown = string.Concat(shown.EnumerateRunes().Take(MaxCommentaryLength).Select(r => r.ToString()));
        }

        lock (_lock)
        {
            var quota = Sandbox.Options.LinkedIn.PostsPerDay;
            var used = _dailyPosts.TryGetValue(member.AuthorUrn, out var day) && day.Day == today ? day.Count : 0;
            if (!Sandbox.Options.DisableRateLimits && used >= quota)
            {
                // Member limits reset at midnight UTC; LinkedIn documents no rate-limit headers.
                return new LinkedInCreateResult(null, 429, new
                {
                    status = 429,
                    serviceErrorCode = 101,
                    code = "TOO_MANY_REQUESTS",
                    message = "Resource level throttle DAY limit for calls to this resource is reached.",
                });
            }

            if (_posts.FirstOrDefault(p => p.Author == member.AuthorUrn && p.ShownText == shown) is { } existing)
            {
                return new LinkedInCreateResult(null, 422, new
                {
                    errorDetailType = "com.linkedin.common.error.BadRequest",
                    message = $"Content is a duplicate of {existing.Urn}",
                    errorDetails = new { inputErrors = new[] { new { description = "Duplicate post is detected", input = new { }, code = "DUPLICATE_POST" } } },
                    status = 422,
                });
            }

            var post = new LinkedInPost
            {
                Urn = NewShareUrn(),
                Author = member.AuthorUrn,
                Commentary = input.Commentary!,
                ShownText = shown,
                Truncated = cutAtReserved || cutAtLimit,
                Visibility = input.Visibility!,
                LifecycleState = input.LifecycleState!,
                CreatedAt = now,
                Images = [.. images.Select((image, i) => new LinkedInPostImage(image, input.Images[i].AltText))],
                MultiImage = input.MultiImage,
            };
            _posts.Add(post);
            _dailyPosts[member.AuthorUrn] = (today, used + 1);
            return new LinkedInCreateResult(post, 201, null);
        }
    }

    /// <summary>LinkedIn's validation error body.</summary>
    internal static object BadRequest(string message) => new { status = 400, code = "INVALID_REQUEST_BODY", message };

    /// <summary>LinkedIn's permission error body (the shape clients report: <c>serviceErrorCode</c> 100).</summary>
    internal static object AccessDenied(string message) => new { serviceErrorCode = 100, code = "ACCESS_DENIED", message, status = 403 };

    private static string? Validate(LinkedInCreateInput input)
    {
        if (input.ContentError is not null)
        {
            return input.ContentError;
        }

        if (input.Commentary is null)
        {
            return "/commentary :: field is required but not found and has no default value";
        }

        if (input.Visibility is null || !Visibilities.Contains(input.Visibility))
        {
            return $"/visibility :: \"{input.Visibility}\" is not an enum symbol of PUBLIC, CONNECTIONS, LOGGED_IN, CONTAINER";
        }

        if (input.LifecycleState is null || !LifecycleStates.Contains(input.LifecycleState))
        {
            return $"/lifecycleState :: \"{input.LifecycleState}\" is not an enum symbol of PUBLISHED, DRAFT";
        }

        return input.HasDistribution ? null : "/distribution :: field is required but not found and has no default value";
    }

    /// <summary><c>urn:li:share:</c> followed by 19 digits, as LinkedIn's share ids are.</summary>
    private string NewShareUrn()
    {
        var digits = new StringBuilder("urn:li:share:7");
        for (var i = 0; i < 18; i++)
        {
            digits.Append((char)('0' + Sandbox.NextRandom(0, 10)));
        }

        return digits.ToString();
    }
}
