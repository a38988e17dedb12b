using Herald.Sandbox.Hosting;

namespace Herald.Sandbox.LinkedIn;

/// <summary>A member of the simulated LinkedIn, known by its access token.</summary>
public sealed record LinkedInMember(string AccessToken, string AuthorUrn)
{
    /// <summary>Never prints the token.</summary>
    public override string ToString() => AuthorUrn;
}

/// <summary>A post the simulated LinkedIn accepted.</summary>
public sealed record LinkedInPost
{
    /// <summary><c>urn:li:share:</c> and 19 digits.</summary>
    public required string Urn { get; init; }

    public required string Author { get; init; }

    /// <summary>The <c>commentary</c> exactly as sent, in little text format.</summary>
    public required string Commentary { get; init; }

    /// <summary>
    /// What readers see: the commentary parsed as little text, cut at the first unescaped reserved
    /// character and at 3,000 characters, as LinkedIn does silently (docs/platforms.md, LinkedIn).
    /// </summary>
    public required string ShownText { get; init; }

    /// <summary>True when <see cref="ShownText"/> lost text the sender meant to post.</summary>
    public required bool Truncated { get; init; }

    public required string Visibility { get; init; }

    public required string LifecycleState { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The images attached, in order, with their alt text.</summary>
    public IReadOnlyList<LinkedInPostImage> Images { get; init; } = [];

    /// <summary>True when they came as <c>content.multiImage</c>, false for <c>content.media</c>.</summary>
    public bool MultiImage { get; init; }
}

/// <summary>An image on a post and its <c>altText</c> (null when none was sent).</summary>
public sealed record LinkedInPostImage(LinkedInImage Image, string? AltText)
{
    public SandboxImage Shown => new(AltText ?? "", Image.MediaType, Image.Bytes.LongLength, Image.Width, Image.Height, $"/linkedin/media/{Image.Id}");
}

/// <summary>The fields of a create request the simulator checks.</summary>
/// <param name="Author">The <c>author</c> URN.</param>
/// <param name="Commentary">The little-text commentary.</param>
/// <param name="Visibility">The visibility.</param>
/// <param name="LifecycleState">The lifecycle state.</param>
/// <param name="HasDistribution">Whether <c>distribution</c> is an object.</param>
internal sealed record LinkedInCreateInput(string? Author, string? Commentary, string? Visibility, string? LifecycleState, bool HasDistribution)
{
    /// <summary>The images of <c>content.media</c> or <c>content.multiImage.images</c>: URN and altText.</summary>
    public IReadOnlyList<(string Id, string? AltText)> Images { get; init; } = [];

    public bool MultiImage { get; init; }

    /// <summary>What is wrong with <c>content</c>, as LinkedIn's validation message; null when nothing.</summary>
    public string? ContentError { get; init; }
}

/// <summary>What a create came to: the post, or an error status with LinkedIn's error body.</summary>
internal sealed record LinkedInCreateResult(LinkedInPost? Post, int Status, object? Error);
