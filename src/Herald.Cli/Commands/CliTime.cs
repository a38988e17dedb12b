using System.Globalization;
using System.Text.RegularExpressions;
using Herald.Cli.Configuration;
using Herald.Scheduling;

namespace Herald.Cli.Commands;

/// <summary>
/// Times as the CLI takes them: what <see cref="ScheduleTime.Parse"/> understands, plus times relative to now
/// (<c>+2h</c>, <c>+1d3h</c>, <c>+90m</c>; <c>-7d</c> for a week ago) and, for filters, a bare date (local midnight).
/// </summary>
internal static partial class CliTime
{
    /// <summary>When to publish (<c>--at</c>, <c>reschedule --at</c>): absolute, "now" or <c>+duration</c>; never in the past.</summary>
    public static ScheduleTime ParseAt(string text, TimeProvider clock, string field = "--at")
    {
        var when = Relative(text, clock, field) is { } relative
            ? ScheduleTime.At(relative)
            : ScheduleTime.Parse(text, clock, TimeZoneInfo.Local, field);
        if (when.Utc < clock.GetUtcNow() - TimeSpan.FromMinutes(1))
        {
            throw new CliInputException($"{field}: {when.Utc:yyyy-MM-dd HH:mm} UTC is in the past; give a future time, \"+2h\" or \"now\"");
        }

        return when;
    }

    /// <summary>An instant for a filter (<c>--since</c>, <c>--until</c>): absolute, relative, or a date meaning its local midnight.</summary>
    public static DateTimeOffset ParseInstant(string text, TimeProvider clock, string field)
    {
        if (Relative(text, clock, field) is { } relative)
        {
            return relative;
        }

        if (DateTime.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return new DateTimeOffset(date, TimeZoneInfo.Local.GetUtcOffset(date));
        }

        return ScheduleTime.Parse(text, clock, TimeZoneInfo.Local, field).Utc;
    }

    private static DateTimeOffset? Relative(string text, TimeProvider clock, string field)
    {
        var match = RelativePattern().Match(text.Trim());
        if (!match.Success)
        {
            return null;
        }

        var span = TimeSpan.FromDays(Number(match, "d")) + TimeSpan.FromHours(Number(match, "h")) +
                   TimeSpan.FromMinutes(Number(match, "m")) + TimeSpan.FromSeconds(Number(match, "s"));
        if (span == TimeSpan.Zero || span > TimeSpan.FromDays(3660))
        {
            throw new CliInputException($"{field}: '{text}' must be between one second and ten years from now");
        }

        return clock.GetUtcNow() + (match.Groups["sign"].Value == "-" ? -span : span);
    }

    private static int Number(Match match, string unit) =>
        match.Groups[unit].Success ? int.Parse(match.Groups[unit].Value, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"^(?<sign>[+-])(?=\d)(?:(?<d>\d{1,4})d)?(?:(?<h>\d{1,5})h)?(?:(?<m>\d{1,6})m)?(?:(?<s>\d{1,7})s)?$", RegexOptions.IgnoreCase)]
    private static partial Regex RelativePattern();
}
