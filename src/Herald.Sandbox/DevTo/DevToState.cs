using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Herald.Sandbox.Hosting;

namespace Herald.Sandbox.DevTo;

/// <summary>
/// The simulated Forem's data: users (keyed by API key), articles and the per-user creation windows.
/// Validation, duplicate checks and the insert happen under one lock, so two racing creates behave as
/// Forem's database constraints would.
/// </summary>
public sealed partial class DevToState
{
    internal const int MaxTitleLength = 128;
    internal const int MaxTags = 4;
    internal const int MaxTagLength = 30;
    internal const int MaxBodyBytes = 800 * 1024;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, DevToUser> _usersByKey = new(StringComparer.Ordinal);
    private readonly List<DevToArticle> _articles = [];
    private readonly Dictionary<int, List<DateTimeOffset>> _publishedCreations = [];
    private int _nextUserId = 1;
    private int _nextArticleId = 1;

    internal DevToState(SandboxState sandbox)
    {
        Sandbox = sandbox;
        AddUser(SandboxAccounts.DevToKey, SandboxAccounts.DevToUsername, "Herald Sandbox");
    }

    internal SandboxState Sandbox { get; }

    /// <summary>Every accepted article (drafts included), in creation order.</summary>
    public IReadOnlyList<DevToArticle> Articles
    {
        get
        {
            lock (_lock)
            {
                return [.. _articles];
            }
        }
    }

    /// <summary>Every user, in the order they were added.</summary>
    public IReadOnlyList<DevToUser> Users
    {
        get
        {
            lock (_lock)
            {
                return [.. _usersByKey.Values.OrderBy(u => u.Id)];
            }
        }
    }

    /// <summary>Adds a user who authenticates with <paramref name="apiKey"/> (tests use one per scenario to get their own rate-limit window).</summary>
    /// <exception cref="InvalidOperationException">The key or the username is taken.</exception>
    public DevToUser AddUser(string apiKey, string username, string? name = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        ArgumentException.ThrowIfNullOrEmpty(username);
        lock (_lock)
        {
            if (_usersByKey.ContainsKey(apiKey))
            {
                throw new InvalidOperationException("A Dev.to sandbox user already has that API key.");
            }

            if (_usersByKey.Values.Any(u => string.Equals(u.Username, username, StringComparison.OrdinalIgnoreCase)))
            {
                throw new InvalidOperationException($"The Dev.to sandbox username '{username}' is taken.");
            }

            var user = new DevToUser(_nextUserId++, username, name ?? username, apiKey);
            _usersByKey[apiKey] = user;
            return user;
        }
    }

    internal DevToUser? FindUser(string? apiKey)
    {
        if (string.IsNullOrEmpty(apiKey))
        {
            return null;
        }

        lock (_lock)
        {
            return _usersByKey.GetValueOrDefault(apiKey);
        }
    }

    /// <summary>Creates an article the way Forem's <c>Articles::Creator</c> does (docs/platforms.md, Dev.to).</summary>
    internal DevToCreateResult Create(DevToUser user, DevToCreateInput input)
    {
        var now = Sandbox.TimeProvider.GetUtcNow();
        var options = Sandbox.Options;
        lock (_lock)
        {
            // RateLimitChecker: published_article_creation, counted per user over a window.
            if (!_publishedCreations.TryGetValue(user.Id, out var created))
            {
                created = _publishedCreations[user.Id] = [];
            }

            created.RemoveAll(t => t <= now - options.DevTo.CreateWindow);
            if (input.Published && !options.DisableRateLimits)
            {
                if (created.Count >= options.DevTo.CreatesPerWindow)
                {
                    var seconds = (int)Math.Ceiling(options.DevTo.CreateWindow.TotalSeconds);
                    return new DevToCreateResult(null, 429, $"Rate limit reached, try again in {seconds} seconds", seconds);
                }
            }

            var title = NormalizeTitle(input.Title);
            var body = input.BodyMarkdown ?? "";
            var tags = NormalizeTags(input.Tags);
            var canonical = string.IsNullOrEmpty(input.CanonicalUrl) ? null : input.CanonicalUrl;
            var errors = Validate(title, body, tags, canonical, input.MainImage);

            if (_articles.Any(a => a.UserId == user.Id && a.Title == title && a.BodyMarkdown == body))
            {
                errors.Add("Body markdown has already been taken");
            }

            if (input.Published && canonical is not null && _articles.Any(a => a.Published && a.CanonicalUrl == canonical))
            {
                errors.Add("Canonical url has already been taken. Email sandbox@herald.invalid for further details.");
            }

            if (errors.Count > 0)
            {
                return new DevToCreateResult(null, 422, string.Join(", ", errors));
            }

            var slug = Slugify(title) + "-" + RandomSuffix();
            if (!input.Published)
            {
                // Drafts get a temporary slug until they are published (docs/platforms.md, Dev.to, "Response").
                slug += "-temp-slug-" + Sandbox.NextRandom(1_000_000, 10_000_000).ToString(CultureInfo.InvariantCulture);
            }

            var article = new DevToArticle
            {
                Id = _nextArticleId++,
                UserId = user.Id,
                Username = user.Username,
                Title = title,
                Description = string.IsNullOrEmpty(input.Description) ? null : input.Description,
                BodyMarkdown = body,
                Published = input.Published,
                Tags = tags,
                CanonicalUrl = canonical,
                MainImage = string.IsNullOrEmpty(input.MainImage) ? null : input.MainImage,
                Series = string.IsNullOrEmpty(input.Series) ? null : input.Series,
                Slug = slug,
                Path = $"/{user.Username}/{slug}",
                CreatedAt = now,
                PublishedAt = input.Published ? now : null,
            };
            _articles.Add(article);
            if (input.Published)
            {
                created.Add(now);
            }

            return new DevToCreateResult(article, 201, null);
        }
    }

    /// <summary>A page of the user's articles, ordered as Forem orders them: <c>published_at desc, created_at desc</c>.</summary>
    internal IReadOnlyList<DevToArticle> ArticlesOf(DevToUser user, DevToListFilter filter, int page, int perPage)
    {
        lock (_lock)
        {
            // PostgreSQL puts NULLs first in a DESC sort, so drafts come before published articles in /me/all.
            return
            [
                .. _articles
                    .Where(a => a.UserId == user.Id)
                    .Where(a => filter switch
                    {
                        DevToListFilter.Published => a.Published,
                        DevToListFilter.Unpublished => !a.Published,
                        _ => true,
                    })
                    .OrderBy(a => a.PublishedAt is null ? 0 : 1)
                    .ThenByDescending(a => a.PublishedAt)
                    .ThenByDescending(a => a.CreatedAt)
                    .ThenByDescending(a => a.Id)
                    .Skip((page - 1) * perPage)
                    .Take(perPage),
            ];
        }
    }

    internal DevToArticle? FindPublished(int id)
    {
        lock (_lock)
        {
            return _articles.FirstOrDefault(a => a.Id == id && a.Published);
        }
    }

    internal DevToArticle? FindBySlug(string username, string slug)
    {
        lock (_lock)
        {
            return _articles.FirstOrDefault(a =>
                string.Equals(a.Username, username, StringComparison.OrdinalIgnoreCase) && a.Slug == slug);
        }
    }

    internal DevToUser? UserById(int id)
    {
        lock (_lock)
        {
            return _usersByKey.Values.FirstOrDefault(u => u.Id == id);
        }
    }

    private static List<string> Validate(string title, string body, IReadOnlyList<string> tags, string? canonical, string? mainImage)
    {
        var errors = new List<string>();
        if (title.Length == 0)
        {
            errors.Add("Title can't be blank");
        }
        else if (title.EnumerateRunes().Count() > MaxTitleLength)
        {
            errors.Add($"Title is too long (maximum is {MaxTitleLength} characters)");
        }

        if (Encoding.UTF8.GetByteCount(body) > MaxBodyBytes)
        {
            errors.Add("Body markdown is too long (maximum is 800 KB)");
        }

        if (tags.Count > MaxTags)
        {
            errors.Add($"Tag list exceed the maximum of {MaxTags} tags");
        }

        foreach (var tag in tags)
        {
            if (!TagPattern().IsMatch(tag))
            {
                errors.Add($"Tag \"{tag}\" contains non-alphanumeric or prohibited unicode characters");
            }

            if (tag.Length > MaxTagLength)
            {
                errors.Add($"Tag \"{tag}\" is too long (maximum is {MaxTagLength} characters)");
            }
        }

        if (canonical is not null)
        {
            if (canonical.Any(char.IsWhiteSpace))
            {
                errors.Add("Canonical url must not have spaces");
            }
            else if (!IsHttpUrl(canonical))
            {
                errors.Add("Canonical url is not a valid URL");
            }
        }

        if (!string.IsNullOrEmpty(mainImage) && !IsHttpUrl(mainImage))
        {
            errors.Add("Main image is not a valid URL");
        }

        return errors;
    }

    /// <summary>Forem joins the tag array into <c>tag_list</c> and parses it back: split on commas, trimmed, lower-cased, deduplicated.</summary>
    private static List<string> NormalizeTags(IReadOnlyList<string> tags) =>
        [
            .. string.Join(',', tags)
                .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(t => t.ToLowerInvariant())
                .Distinct(StringComparer.Ordinal),
        ];

    /// <summary>Forem collapses whitespace in titles (its symbol stripping is not simulated).</summary>
    private static string NormalizeTitle(string? title) =>
        string.Join(' ', (title ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static string Slugify(string title)
    {
        var slug = new StringBuilder(title.Length);
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

        var result = slug.ToString().Trim('-');
        return result.Length == 0 ? "article" : result;
    }

    private string RandomSuffix()
    {
        const string alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
        var suffix = new char[4];
        for (var i = 0; i < suffix.Length; i++)
        {
            suffix[i] = alphabet[Sandbox.NextRandom(0, alphabet.Length)];
        }

        return new string(suffix);
    }

    [GeneratedRegex(@"\A[a-z0-9]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();
}
