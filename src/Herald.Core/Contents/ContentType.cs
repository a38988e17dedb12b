namespace Herald.Contents;

/// <summary>What kind of content a <see cref="Content"/> is.</summary>
public enum ContentType
{
    /// <summary>A long-form article with a title (Dev.to, Medium, LinkedIn, a teaser elsewhere).</summary>
    Article = 0,

    /// <summary>A short-form post whose body is the text, as written.</summary>
    Post = 1,
}
