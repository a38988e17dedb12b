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

    /// <summary>When <paramref name="day"/> begins in <paramref name="zone"/> (after a gap, its first valid minute).</summary>
    public static DateTimeOffset StartOf(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
