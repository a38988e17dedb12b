using Herald.Contents;
using Herald.Platforms;
using Herald.Validation;

namespace Herald.Scheduling;

/// <summary>
/// Checks everything a schedule call was given before anything is stored: the common content rules, then each
/// target platform's own. Every problem is collected; a bulk call names each one's item (<c>items[3].title</c>).
/// </summary>
internal static class ScheduleValidation
{
    public static void ThrowIfInvalid(IReadOnlyList<ScheduleItem> items, bool single, PlatformRegistry registry, ContentLimits limits)
    {
        var found = new List<ValidationProblem>[items.Count];
        // Validation is pure CPU work per item: a large bulk call spreads it over the cores.
        PerItem.For(items.Count, i => found[i] = Validate(items[i], registry, limits));

        var problems = new List<ValidationProblem>();
        for (var i = 0; i < items.Count; i++)
        {
            problems.AddRange(single ? found[i] : found[i].Select(p => p with { Field = p.Field.Length == 0 ? $"items[{i}]" : $"items[{i}].{p.Field}" }));
        }

        // The same content for several items is one row; two different contents sharing an id cannot both be stored.
        var byId = new Dictionary<ContentId, (Content Content, int Item)>();
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i]?.Content is null)
            {
                continue;
            }

            if (!byId.TryAdd(items[i].Content.Id, (items[i].Content, i)) && !ReferenceEquals(byId[items[i].Content.Id].Content, items[i].Content))
            {
                problems.Add(new ValidationProblem(
                    $"items[{i}].content",
                    $"has the same id as the content of items[{byId[items[i].Content.Id].Item}] but is another content; give each content its own id, or pass the same content object"));
            }
        }

        if (problems.Count > 0)
        {
            throw new ContentValidationException(problems);
        }
    }

    /// <summary>The problems of one item; a field of "" is the item itself.</summary>
    private static List<ValidationProblem> Validate(ScheduleItem? item, PlatformRegistry registry, ContentLimits limits)
    {
        if (item is null)
        {
            return [new ValidationProblem("", MustNotBeNull)];
        }

        if (Missing(item) is { Count: > 0 } missing)
        {
            return missing;
        }

        if (item.Accounts.Count == 0)
        {
            return [new ValidationProblem("targets", "name at least one account to publish to")];
        }

        // Adapters are only given content that passed the common rules (valid Unicode text, within the size limit).
        if (ContentRules.Validate(item.Content, limits) is { Count: > 0 } common)
        {
            return [.. common];
        }

        var problems = new List<ValidationProblem>();
        foreach (var account in item.Accounts)
        {
            if (!registry.TryResolve(account.Platform, out var adapter))
            {
                problems.Add(new ValidationProblem("platform", $"unknown platform '{account.Platform}'; known platforms: {string.Join(", ", registry.PlatformIds)}"));
                continue;
            }

            problems.AddRange(adapter.Validate(item.Content, account));
        }

        return problems;
    }

    private const string MustNotBeNull = "must not be null";

    /// <summary>What a caller passed as null (a list with a hole, an item built without its content): named, not a crash.</summary>
    private static List<ValidationProblem> Missing(ScheduleItem item)
    {
        var problems = new List<ValidationProblem>();
        if (item.Content is null)
        {
            problems.Add(new ValidationProblem("content", MustNotBeNull));
        }

        if (item.Accounts is null)
        {
            problems.Add(new ValidationProblem("targets", MustNotBeNull));
            return problems;
        }

        for (var j = 0; j < item.Accounts.Count; j++)
        {
            if (item.Accounts[j] is null)
            {
                problems.Add(new ValidationProblem($"targets[{j}]", MustNotBeNull));
            }
        }

        return problems;
    }
}
