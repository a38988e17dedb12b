namespace Herald.Server.Dashboard;

/// <summary>
/// The time zone the dashboard shows times in: the browser's own, which the dashboard's script keeps in the
/// <see cref="CookieName"/> cookie (an IANA id, used only if this machine knows it), and UTC until the browser has said.
/// </summary>
public static class ViewerZone
{
    public const string CookieName = "herald_tz";

    public static TimeZoneInfo Of(HttpContext? context) =>
        context?.Request.Cookies[CookieName] is { Length: > 0 and <= 64 } id &&
        TimeZoneInfo.TryFindSystemTimeZoneById(Uri.UnescapeDataString(id), out var zone)
            ? zone
            : TimeZoneInfo.Utc;

    /// <summary>The zone's IANA name, or <c>UTC</c>.</summary>
    public static string Name(TimeZoneInfo zone) => zone.Id is "Etc/UTC" or "UTC" or "Etc/Universal" ? "UTC" : zone.Id;

    /// <summary>The day <paramref name="at"/> falls on in <paramref name="zone"/>.</summary>
    public static DateOnly Day(DateTimeOffset at, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);

    /// <summary>The days the dashboard reads and shows: far enough from the calendar's ends for any zone's offset.</summary>
    public static bool IsShownDay(DateOnly day) => day.Year is >= 1900 and <= 9998;

    /// <summary>
    /// When <paramref name="day"/> begins in <paramref name="zone"/>: after a gap at midnight, its first valid minute;
    /// where midnight comes twice (clocks set back to 00:00), the first.
    /// </summary>
    public static DateTimeOffset StartOf(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }
}
