using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Herald.LightPlatform;

/// <summary>One create as it arrived: the article's identifying key (its canonical URL, else its title) and when.</summary>
internal sealed record Arrival(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("id")] long Id);

/// <summary>An article as <c>GET /api/articles/me/all</c> lists it (the fields Herald's lookup reads).</summary>
internal sealed record StoredArticle(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("canonical_url")] string? CanonicalUrl,
    [property: JsonPropertyName("published_at")] DateTimeOffset? PublishedAt,
    [property: JsonPropertyName("body_markdown")] string? BodyMarkdown);

/// <summary>What the harness polls: creates received, distinct keys among them, and creates beyond the first per key.</summary>
internal sealed record Summary(
    [property: JsonPropertyName("creates")] int Creates,
    [property: JsonPropertyName("distinct")] int Distinct,
    [property: JsonPropertyName("duplicates")] int Duplicates);

/// <summary>Everything in memory behind one lock: the work per call is a few dictionary operations.</summary>
internal sealed class ArticleStore(TimeProvider timeProvider)
{
    private readonly Lock _gate = new();
    private readonly List<Arrival> _arrivals = [];
    private readonly Dictionary<string, int> _perKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<StoredArticle>> _perUser = new(StringComparer.Ordinal);
    private long _nextId;
    private int _duplicates;

    public DateTimeOffset Now() => timeProvider.GetUtcNow();

    public StoredArticle Add(string apiKey, JsonElement article, DateTimeOffset arrived)
    {
        var title = Text(article, "title");
        var canonical = Text(article, "canonical_url");
        var published = !article.TryGetProperty("published", out var flag) || flag.ValueKind != JsonValueKind.False;
        var key = canonical ?? title ?? "";
        lock (_gate)
        {
            var id = ++_nextId;
            var stored = new StoredArticle(
                id, title, string.Create(CultureInfo.InvariantCulture, $"https://light.example/articles/{id}"), canonical,
                published ? arrived : null, Text(article, "body_markdown"));
            _arrivals.Add(new Arrival(key, arrived, id));
            _perKey[key] = _perKey.TryGetValue(key, out var seen) ? seen + 1 : 1;
            if (seen > 0)
            {
                _duplicates++;
            }

            if (!_perUser.TryGetValue(apiKey, out var articles))
            {
                _perUser[apiKey] = articles = [];
            }

            articles.Add(stored);
            return stored;
        }
    }

    /// <summary>Newest first, as Forem lists published articles (this fake makes no drafts-first distinction).</summary>
    public List<StoredArticle> Page(string apiKey, int size, int page)
    {
        lock (_gate)
        {
            return _perUser.TryGetValue(apiKey, out var articles)
                ? [.. Enumerable.Reverse(articles).Skip((page - 1) * size).Take(size)]
                : [];
        }
    }

    public Summary Summary()
    {
        lock (_gate)
        {
            return new Summary(_arrivals.Count, _perKey.Count, _duplicates);
        }
    }

    public List<Arrival> Arrivals()
    {
        lock (_gate)
        {
            return [.. _arrivals];
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _arrivals.Clear();
            _perKey.Clear();
            _perUser.Clear();
            _duplicates = 0;
        }
    }

    private static string? Text(JsonElement article, string name) =>
        article.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
