namespace Herald.Validation;

/// <summary>One thing wrong with the input: which field, and which rule it breaks.</summary>
/// <param name="Field">The field as the user knows it, such as <c>title</c> or <c>tags[2]</c>.</param>
/// <param name="Message">The rule, in words: "must not be longer than 128 characters (it has 200)".</param>
/// <param name="Platform">The platform whose rule it is; null for rules every platform shares.</param>
public sealed record ValidationProblem(string Field, string Message, string? Platform = null)
{
    public override string ToString() =>
        Platform is null ? $"{Field}: {Message}" : $"{Field}: {Message} ({Platform})";
}

/// <summary>Input Herald refuses, with every problem listed. Nothing was stored or sent.</summary>
public sealed class ContentValidationException(IReadOnlyList<ValidationProblem> problems)
    : Exception(FormatMessage(problems))
{
    public IReadOnlyList<ValidationProblem> Problems { get; } = problems;

    private static string FormatMessage(IReadOnlyList<ValidationProblem> problems) =>
        problems.Count == 1
            ? problems[0].ToString()
            : $"{problems.Count} problems:{Environment.NewLine}" +
              string.Join(Environment.NewLine, problems.Select(p => $"  - {p}"));
}
