using System.Text;
using Herald.Sandbox.Hosting;

namespace Herald.Sandbox.Medium;

/// <summary>
/// The simulated Medium's data: users (keyed by integration token) and posts. Medium has no duplicate
/// check and no idempotency (docs/platforms.md, Medium), so neither does the simulator: the same post sent twice is
/// two posts.
/// </summary>
public sealed class MediumState
{
    internal const int MaxTags = 3;
    internal const int MaxTagLength = 25;
    internal const int MaxTitleLength = 100;

    private static readonly string[] ContentFormats = ["html", "markdown"];
    private static readonly string[] PublishStatuses = ["public", "draft", "unlisted"];
    private static readonly string[] Licenses =
    [
        "all-rights-reserved", "cc-40-by", "cc-40-by-sa", "cc-40-by-nd", "cc-40-by-nc", "cc-40-by-nc-nd", "cc-40-by-nc-sa", "cc-40-zero", "public-domain",
    ];

    private readonly Lock _lock = new();
    private readonly Dictionary<string, MediumSandboxUser> _usersByToken = new(StringComparer.Ordinal);
    private readonly List<MediumPost> _posts = [];

    internal MediumState(SandboxState sandbox)
    {
        Sandbox = sandbox;
        Images = new MediumImageState(sandbox);
        AddUser(SandboxAccounts.MediumToken, SandboxAccounts.MediumUsername, "Herald Sandbox");
    }

    internal SandboxState Sandbox { get; }

    /// <summary>The images uploaded with <c>POST /v1/images</c>.</summary>
    public MediumImageState Images { get; }

    /// <summary>Every accepted post, in creation order.</summary>
    public IReadOnlyList<MediumPost> Posts
    {
        get
        {
            lock (_lock)
            {
                return [.. _posts];
            }
        }
    }

    /// <summary>Adds a user who authenticates with the integration token <paramref name="token"/>.</summary>
    /// <param name="token">The integration token.</param>
    /// <param name="username">The @name.</param>
    /// <param name="name">The display name; the username when null.</param>
    /// <param name="canUploadImages">Whether the token has the <c>uploadImage</c> scope.</param>
    /// <exception cref="InvalidOperationException">The token or the username is taken.</exception>
    public MediumSandboxUser AddUser(string token, string username, string? name = null, bool canUploadImages = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        ArgumentException.ThrowIfNullOrEmpty(username);
        lock (_lock)
        {
            if (_usersByToken.ContainsKey(token) || _usersByToken.Values.Any(u => string.Equals(u.Username, username, StringComparison.OrdinalIgnoreCase)))
            {
                throw new InvalidOperationException("A Medium sandbox user already has that token or username.");
            }

            // Medium user ids are long hexadecimal strings.
            var user = new MediumSandboxUser(RandomHex(65), username, name ?? username, token, canUploadImages);
            _usersByToken[token] = user;
            return user;
        }
    }

    internal MediumSandboxUser? FindByToken(string token)
    {
        lock (_lock)
        {
            return _usersByToken.GetValueOrDefault(token);
        }
    }

    internal bool UserExists(string id)
    {
        lock (_lock)
        {
            return _usersByToken.Values.Any(u => u.Id == id);
        }
    }

    /// <summary>Creates a post on the user's profile, applying Medium's documented rules for tags and titles.</summary>
    internal MediumCreateResult Create(MediumSandboxUser user, MediumCreateInput input)
    {
        var invalid = Validate(input);
        if (invalid is not null)
        {
            return new MediumCreateResult(null, 400, Error(invalid));
        }

        var sentTags = input.Tags ?? [];
        // "Only the first 3 will be used. Tags longer than 25 characters will be ignored." (docs/platforms.md, Medium)
        var tags = sentTags.Take(MaxTags).Where(t => t.Length <= MaxTagLength).ToList();
        var title = input.Title!.Length <= MaxTitleLength ? input.Title : TitleFromContent(input.Content!);
        var now = Sandbox.TimeProvider.GetUtcNow();
        lock (_lock)
        {
            var id = RandomHex(12);
            var post = new MediumPost
            {
                Id = id,
                AuthorId = user.Id,
                Title = title,
                ContentFormat = input.ContentFormat!,
                Content = input.Content!,
                SentTags = sentTags,
                Tags = tags,
                CanonicalUrl = input.CanonicalUrl,
                PublishStatus = input.PublishStatus ?? "public",
                License = input.License ?? "all-rights-reserved",
                Url = $"https://medium.com/@{user.Username}/{Slug(title)}-{id}",
                CreatedAt = now,
                Images = Images.InContent(input.Content!, input.ContentFormat!),
            };
            _posts.Add(post);
            return new MediumCreateResult(post, 201, null);
        }
    }

    /// <summary>Medium's error body: <c>{"errors":[{"message","code"}]}</c>.</summary>
    internal static object Error(string message, int code = ValidationErrorCode) => new { errors = new[] { new { message, code } } };

    /// <summary>
    /// Medium documents no code for a field error and the full list is UNCONFIRMED (docs/platforms.md, Medium, "Errors");
    /// the sandbox uses this one for its own validation messages.
    /// </summary>
    internal const int ValidationErrorCode = 6001;

    private static string? Validate(MediumCreateInput input)
    {
        if (string.IsNullOrWhiteSpace(input.Title))
        {
            return "Missing or invalid field: title.";
        }

        if (input.ContentFormat is null || !ContentFormats.Contains(input.ContentFormat, StringComparer.Ordinal))
        {
            return "Missing or invalid field: contentFormat (html or markdown).";
        }

        if (string.IsNullOrWhiteSpace(input.Content))
        {
            return "Missing or invalid field: content.";
        }

        if (input.TagsMistyped)
        {
            return "Invalid field: tags must be an array of strings.";
        }

        if (input.PublishStatus is not null && !PublishStatuses.Contains(input.PublishStatus, StringComparer.Ordinal))
        {
            return "Invalid field: publishStatus (public, draft or unlisted).";
        }

        if (input.License is not null && !Licenses.Contains(input.License, StringComparer.Ordinal))
        {
            return "Invalid field: license.";
        }

        if (input.CanonicalUrl is not null &&
            (!Uri.TryCreate(input.CanonicalUrl, UriKind.Absolute, out var canonical) || (canonical.Scheme != Uri.UriSchemeHttp && canonical.Scheme != Uri.UriSchemeHttps)))
        {
            return "Invalid field: canonicalUrl must be an absolute URL.";
        }

        return null;
    }

    /// <summary>A title over 100 characters is ignored and one is taken from the content's first line (docs/platforms.md, Medium).</summary>
    private static string TitleFromContent(string content)
    {
        var first = content.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        first = first.TrimStart('#').Trim();
        return first.Length <= MaxTitleLength ? first : first[..MaxTitleLength];
    }

    private static string Slug(string title)
    {
        var slug = new StringBuilder();
        foreach (var c in title.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        return slug.ToString().Trim('-') is { Length: > 0 } s ? s : "post";
    }

    private string RandomHex(int length)
    {
        var hex = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            hex.Append("0123456789abcdef"[Sandbox.NextRandom(0, 16)]);
        }

        return hex.ToString();
    }
}
