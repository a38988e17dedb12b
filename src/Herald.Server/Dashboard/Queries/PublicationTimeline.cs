using Herald.Scheduling;
using Herald.Server.Dashboard.Components;

namespace Herald.Server.Dashboard.Queries;

/// <summary>One step in a publication's life.</summary>
public sealed record TimelineStep(DateTimeOffset At, string What);

/// <summary>
/// A publication's life as far as Herald records it: created, every attempt with its outcome, published, and its
/// current status since its last change — oldest first.
/// </summary>
public static class PublicationTimeline
{
    public static IReadOnlyList<TimelineStep> Of(PublicationDetails details, TimeZoneInfo zone)
    {
        var p = details.Publication;
        var steps = new List<TimelineStep> { new(p.CreatedAt, $"created, due {When.Format(p.ScheduledAt, zone)}") };
        foreach (var attempt in details.Attempts)
        {
            var status = attempt.HttpStatus is { } code ? $", HTTP {code}" : "";
            steps.Add(new(attempt.StartedAt, $"attempt {attempt.Number}: {attempt.Outcome}{status}"));
        }

        if (p.PublishedAt is { } published)
        {
            steps.Add(new(published, "published"));
        }

        if (p.Status is not Herald.Publications.PublicationStatus.Published)
        {
            steps.Add(new(p.UpdatedAt, $"now {p.Status}"));
        }

        return [.. steps.OrderBy(s => s.At)];
    }
}
