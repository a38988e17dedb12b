namespace Herald.Server.Dashboard.Compose;

/// <summary>
/// A rule the composed content breaks: the form input it belongs to (<see cref="ComposeForm.Names"/>, or empty when
/// it belongs to none), and the sentence to show there, naming the field and the rule.
/// </summary>
public sealed record ComposeProblem(string Input, string Message)
{
    private static readonly Dictionary<string, (string Input, string Label)> Fields = new(StringComparer.Ordinal)
    {
        ["type"] = (ComposeForm.Names.Type, "Type"),
        ["title"] = (ComposeForm.Names.Title, "Title"),
        ["description"] = (ComposeForm.Names.Description, "Description"),
        ["tags"] = (ComposeForm.Names.Tags, "Tags"),
        ["canonicalUrl"] = (ComposeForm.Names.CanonicalUrl, "Canonical URL"),
        ["body"] = (ComposeForm.Names.Body, "Body"),
        ["targets"] = (ComposeForm.Names.Accounts, "Accounts"),
        ["at"] = (ComposeForm.Names.At, "Date and time"),
        ["timeZone"] = (ComposeForm.Names.TimeZone, "Time zone"),
    };

    /// <summary>
    /// The problem the API would report under <paramref name="field"/> (<c>title</c>, <c>tags[2]</c>,
    /// <c>targets[1].body</c> …), placed at its input; a target's problem names the account it is about.
    /// </summary>
    public static ComposeProblem From(string field, string message, IReadOnlyList<string> accountNames)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(accountNames);
        var target = TargetIndex(field, out var rest);
        if (target is { } index && rest.Length > 0)
        {
            var account = index < accountNames.Count ? accountNames[index] : field;
            return new ComposeProblem(ComposeForm.Names.Accounts, $"{account}: {Label(rest).Label}: {message}");
        }

        var (input, label) = Label(field);
        return new ComposeProblem(input, $"{label}: {message}");
    }

    private static (string Input, string Label) Label(string field)
    {
        var name = field.Split('[', '.')[0];
        if (Fields.TryGetValue(name, out var known))
        {
            return name == field ? known : (known.Input, $"{known.Label} ({field})");
        }

        return ("", field);
    }

    /// <summary>The index in <c>targets[i]</c> or <c>targets[i].field</c>, with what follows the dot.</summary>
    private static int? TargetIndex(string field, out string rest)
    {
        rest = "";
        var close = field.IndexOf(']', StringComparison.Ordinal);
        if (!field.StartsWith("targets[", StringComparison.Ordinal) || close < 0)
        {
            return null;
        }

        rest = field[(close + 1)..].TrimStart('.');
        return int.TryParse(field.AsSpan(8, close - 8), System.Globalization.CultureInfo.InvariantCulture, out var index) ? index : null;
    }
}
