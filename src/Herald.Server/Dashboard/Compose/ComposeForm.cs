using Herald.Server.Posts;

namespace Herald.Server.Dashboard.Compose;

/// <summary>
/// What the Compose page's form holds: the content's front-matter fields and body, the chosen accounts, and when.
/// Plain strings, as typed; <see cref="ToRequest"/> turns them into the API's <see cref="PostRequest"/>, whose rules
/// then apply unchanged.
/// </summary>
public sealed class ComposeForm
{
    /// <summary>The form's field names (the <c>name</c> of each input), shared by the page and the editor.</summary>
    public static class Names
    {
        public const string Type = "type";
        public const string Title = "title";
        public const string Description = "description";
        public const string Tags = "tags";
        public const string CanonicalUrl = "canonicalUrl";
        public const string Body = "body";
        public const string Thread = "thread";
        public const string Accounts = "account";
        public const string When = "when";
        public const string At = "at";
        public const string TimeZone = "timeZone";
    }

    /// <summary><c>article</c> or <c>post</c>.</summary>
    public string Type { get; set; } = "article";

    public string Title { get; set; } = "";

    public string Description { get; set; } = "";

    /// <summary>Comma-separated.</summary>
    public string Tags { get; set; } = "";

    public string CanonicalUrl { get; set; } = "";

    /// <summary>The body as Markdown.</summary>
    public string Body { get; set; } = "";

    /// <summary>Post an article as a thread of its text on the short-post platforms.</summary>
    public bool Thread { get; set; }

    /// <summary>The ids of the chosen accounts.</summary>
    public List<string> Accounts { get; set; } = [];

    /// <summary><c>now</c> or <c>later</c>.</summary>
    public string When { get; set; } = "now";

    /// <summary>A local date and time (<c>2026-12-01T09:00</c>) read in <see cref="TimeZone"/>, when <see cref="When"/> is later.</summary>
    public string At { get; set; } = "";

    /// <summary>An IANA zone such as <c>Europe/Berlin</c>.</summary>
    public string TimeZone { get; set; } = "";

    public bool IsLater => string.Equals(When, "later", StringComparison.Ordinal);

    /// <summary>The form as read from a posted form (each field by its <see cref="Names"/> name).</summary>
    public static ComposeForm Read(IFormCollection form)
    {
        ArgumentNullException.ThrowIfNull(form);
        return new ComposeForm
        {
            Type = form[Names.Type].ToString() is { Length: > 0 } type ? type : "article",
            Title = form[Names.Title].ToString(),
            Description = form[Names.Description].ToString(),
            Tags = form[Names.Tags].ToString(),
            CanonicalUrl = form[Names.CanonicalUrl].ToString(),
            Body = form[Names.Body].ToString(),
            Thread = form[Names.Thread].Any(v => v is "true" or "on"),
            Accounts = [.. form[Names.Accounts].Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!)],
            When = form[Names.When].ToString() is "later" ? "later" : "now",
            At = form[Names.At].ToString(),
            TimeZone = form[Names.TimeZone].ToString(),
        };
    }

    /// <summary>The API's request for this form: blank fields are left out, tags split at commas.</summary>
    public PostRequest ToRequest() => new()
    {
        Type = Type,
        Title = Blank(Title),
        Body = Body,
        Description = Blank(Description),
        Tags = [.. Tags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
        CanonicalUrl = Blank(CanonicalUrl),
        Thread = Thread,
        Targets = Accounts,
        At = IsLater ? At.Replace('T', ' ') : "now",
        TimeZone = IsLater ? Blank(TimeZone) : null,
    };

    private static string? Blank(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
