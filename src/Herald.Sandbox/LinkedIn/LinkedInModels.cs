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
}

/// <summary>The fields of a create request the simulator checks.</summary>
internal sealed record LinkedInCreateInput(string? Author, string? Commentary, string? Visibility, string? LifecycleState, bool HasDistribution);

/// <summary>What a create came to: the post, or an error status with LinkedIn's error body.</summary>
internal sealed record LinkedInCreateResult(LinkedInPost? Post, int Status, object? Error);
