namespace Herald.Sandbox.DevTo;

/// <summary>A user of the simulated Forem, known by its API key.</summary>
public sealed record DevToUser(int Id, string Username, string Name, string ApiKey)
{
    /// <summary>Never prints the key.</summary>
    public override string ToString() => $"{Username} (#{Id})";
}

/// <summary>An article the simulated Forem accepted, as stored.</summary>
public sealed record DevToArticle
{
    public required int Id { get; init; }

    public required int UserId { get; init; }

    public required string Username { get; init; }

    public required string Title { get; init; }

    public string? Description { get; init; }

    public required string BodyMarkdown { get; init; }

    public required bool Published { get; init; }

    /// <summary>Lower-case tags in the order given (Forem's <c>tag_list</c>).</summary>
    public required IReadOnlyList<string> Tags { get; init; }

    /// <summary>The canonical URL as sent; null when none was given.</summary>
    public string? CanonicalUrl { get; init; }

    public string? MainImage { get; init; }

    public string? Series { get; init; }

    public required string Slug { get; init; }

    /// <summary><c>/username/slug</c>; the public URL is this path under the sandbox's <c>/devto</c>.</summary>
    public required string Path { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? PublishedAt { get; init; }
}

/// <summary>What a create request asked for, after JSON parsing and before validation.</summary>
internal sealed record DevToCreateInput(
    string? Title,
    string? BodyMarkdown,
    bool Published,
    IReadOnlyList<string> Tags,
    string? Description,
    string? CanonicalUrl,
    string? MainImage,
    string? Series);

/// <summary>The answer to a create: the article, or Forem's error status, sentence and Retry-After.</summary>
internal sealed record DevToCreateResult(DevToArticle? Article, int Status, string? Error, int? RetryAfterSeconds = null);

/// <summary>Which of the user's articles a <c>/api/articles/me*</c> endpoint lists.</summary>
internal enum DevToListFilter
{
    Published,
    Unpublished,
    All,
}
