using Herald.Scheduling;

namespace Herald.Server.Posts;

/// <summary>Reads <c>at</c> + <c>timeZone</c> as the API takes them; every problem named with its field.</summary>
internal static class ScheduleInput
{
    /// <summary>A due time given as more than this in the past is refused as a mistake.</summary>
    private static readonly TimeSpan PastTolerance = TimeSpan.FromMinutes(1);

    public static ScheduleTime? Read(string? at, string? timeZone, TimeProvider clock, List<(string Field, string Message)> problems)
    {
        TimeZoneInfo zone = TimeZoneInfo.Utc;
        if (!string.IsNullOrWhiteSpace(timeZone) && !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone.Trim(), out zone!))
        {
            problems.Add(("timeZone", $"'{timeZone}' is not a known IANA time zone, such as Europe/Berlin"));
            return null;
        }

        if (string.IsNullOrWhiteSpace(at))
        {
            return ScheduleTime.Now(clock);
        }

        try
        {
            var when = ScheduleTime.Parse(at, clock, zone, field: "at");
            if (when.Utc < clock.GetUtcNow() - PastTolerance)
            {
                problems.Add(("at", $"{when.Utc:yyyy-MM-dd HH:mm} UTC is in the past; give a future time or \"now\""));
                return null;
            }

            return when;
        }
        catch (ScheduleTimeException ex)
        {
            problems.Add(("at", ex.Message.StartsWith("at: ", StringComparison.Ordinal) ? ex.Message[4..] : ex.Message));
            return null;
        }
    }
}
