namespace Herald.Sandbox.Medium;

/// <summary>A user of the simulated Medium, known by their integration token.</summary>
/// <param name="Id">The user id, 65 hexadecimal digits.</param>
/// <param name="Username">The @name.</param>
/// <param name="Name">The display name.</param>
/// <param name="Token">The integration token.</param>
/// <param name="CanUploadImages">Whether the token has the <c>uploadImage</c> scope (an extended scope Medium grants on request).</param>
public sealed record MediumSandboxUser(string Id, string Username, string Name, string Token, bool CanUploadImages = true)
{
    /// <summary>Never prints the token.</summary>
    public override string ToString() => $"@{Username}";
}

/// <summary>A post the simulated Medium accepted.</summary>
public sealed record MediumPost
{
    /// <summary>12 hexadecimal digits, like Medium's post ids.</summary>
    public required string Id { get; init; }

    public required string AuthorId { get; init; }

    /// <summary>The title Medium kept: the one sent, or one taken from the content when that was over 100 characters.</summary>
    public required string Title { get; init; }

    public required string ContentFormat { get; init; }

    public required string Content { get; init; }

    /// <summary>The tags as sent.</summary>
    public required IReadOnlyList<string> SentTags { get; init; }

    /// <summary>The tags Medium kept: of the first three, those of at most 25 characters.</summary>
    public required IReadOnlyList<string> Tags { get; init; }

    public string? CanonicalUrl { get; init; }

    public required string PublishStatus { get; init; }

    public required string License { get; init; }

    public required string Url { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The images in the content, in order, as Medium side-loads them (with their alt text).</summary>
    public IReadOnlyList<MediumPostImage> Images { get; init; } = [];
}

/// <summary>The fields of a create body, as sent (nulls for absent or mistyped fields).</summary>
internal sealed record MediumCreateInput(
    string? Title,
    string? ContentFormat,
    string? Content,
    IReadOnlyList<string>? Tags,
    bool TagsMistyped,
    string? CanonicalUrl,
    string? PublishStatus,
    string? License);

/// <summary>What a create came to: the post, or an error status with Medium's error body.</summary>
internal sealed record MediumCreateResult(MediumPost? Post, int Status, object? Error);
