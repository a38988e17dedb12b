using System.Globalization;
using System.Text.RegularExpressions;

namespace Herald.Scheduling;

/// <summary>
/// When a publication is due: a UTC instant and the IANA time zone the user gave it in. Parses what users
/// type: <c>now</c>, ISO 8601 with an offset (<c>2026-12-01T09:00:00+01:00</c>, <c>…Z</c>), or a local date
/// and time with a zone (<c>2026-12-01 09:00 Europe/Berlin</c>). A local time without a zone is read in
/// <c>defaultZone</c> (the machine's zone for the CLI).
/// </summary>
public readonly partial record struct ScheduleTime(DateTimeOffset Utc, string TimeZone)
{
    /// <summary>Due at once.</summary>
    public static ScheduleTime Now(TimeProvider timeProvider) => new(timeProvider.GetUtcNow(), "UTC");

    /// <summary>Due at <paramref name="utc"/>, shown in UTC.</summary>
    public static ScheduleTime At(DateTimeOffset utc) => new(utc.ToUniversalTime(), "UTC");

    /// <summary>
    /// Parses <paramref name="text"/>. In a zone's spring-forward gap the local time does not exist and is
    /// refused; in the repeated hour of a fall-back change the first (daylight-saving) instant is taken.
    /// </summary>
    /// <exception cref="ScheduleTimeException">The text is not a time Herald understands; the message names <paramref name="field"/>.</exception>
    public static ScheduleTime Parse(string text, TimeProvider timeProvider, TimeZoneInfo? defaultZone = null, string field = "--at")
    {
        var value = text.Trim();
        if (value.Equals("now", StringComparison.OrdinalIgnoreCase))
        {
            return Now(timeProvider);
        }

        var local = LocalWithZone().Match(value);
        if (local.Success)
        {
            var zoneName = local.Groups["zone"].Value;
            var zone = zoneName.Length > 0 ? FindZone(zoneName, field) : defaultZone ?? TimeZoneInfo.Utc;
            if (!DateTime.TryParseExact(
                    local.Groups["local"].Value.Replace('T', ' '),
                    // H: one or two hour digits, as LocalWithZone lets through ("9:00" as well as "09:00").
                    ["yyyy-MM-dd H:mm", "yyyy-MM-dd H:mm:ss"],
                    CultureInfo.InvariantCulture,
                    DateTimeStyles.None,
                    out var wall))
            {
                throw new ScheduleTimeException(field, $"'{local.Groups["local"].Value}' is not a valid date and time (yyyy-MM-dd HH:mm)");
            }

            return new ScheduleTime(ToUtc(wall, zone, field), IanaName(zone));
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset) && HasOffset(value))
        {
            return At(withOffset);
        }

        throw new ScheduleTimeException(
            field,
            $"'{text}' is not a time Herald understands; write \"2026-12-01 09:00 Europe/Berlin\", " +
            "an ISO 8601 time with an offset such as 2026-12-01T09:00:00+01:00, or \"now\"");
    }

    /// <summary>The instant as a wall-clock time in the zone it was given in.</summary>
    public DateTimeOffset Local => TimeZoneInfo.ConvertTime(Utc, FindZone(TimeZone, "time_zone"));

    private static DateTimeOffset ToUtc(DateTime wall, TimeZoneInfo zone, string field)
    {
        var unspecified = DateTime.SpecifyKind(wall, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(unspecified))
        {
            throw new ScheduleTimeException(
                field,
                $"{wall:yyyy-MM-dd HH:mm} does not exist in {zone.Id}: the clocks go forward then; choose another time");
        }

        // In the repeated hour the larger offset is the earlier instant (still on daylight-saving time).
        var offset = zone.IsAmbiguousTime(unspecified) ? zone.GetAmbiguousTimeOffsets(unspecified).Max() : zone.GetUtcOffset(unspecified);
        return new DateTimeOffset(unspecified, offset).ToUniversalTime();
    }

    internal static TimeZoneInfo FindZone(string name, string field)
    {
        if (name.Equals("UTC", StringComparison.OrdinalIgnoreCase) || name.Equals("Z", StringComparison.Ordinal))
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ScheduleTimeException(field, $"unknown time zone '{name}'; use an IANA name such as Europe/Berlin or America/New_York");
        }
    }

    private static string IanaName(TimeZoneInfo zone) =>
        zone == TimeZoneInfo.Utc ? "UTC" :
        zone.HasIanaId ? zone.Id :
        TimeZoneInfo.TryConvertWindowsIdToIanaId(zone.Id, out var iana) ? iana : zone.Id;

    private static bool HasOffset(string value) =>
        value.EndsWith('Z') || value.EndsWith('z') || OffsetSuffix().IsMatch(value);

    [GeneratedRegex(@"^(?<local>\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(:\d{2})?)(\s+(?<zone>[A-Za-z_]+(/[A-Za-z0-9_+\-]+)*))?$")]
    private static partial Regex LocalWithZone();

    [GeneratedRegex(@"[+-]\d{2}:?\d{2}$")]
    private static partial Regex OffsetSuffix();
}

/// <summary>A time Herald cannot schedule at; the message names the field and the rule.</summary>
public sealed class ScheduleTimeException(string field, string rule) : FormatException($"{field}: {rule}")
{
    public string Field { get; } = field;
}
