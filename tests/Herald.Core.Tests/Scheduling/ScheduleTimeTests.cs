using Herald.Scheduling;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Core.Tests.Scheduling;

public sealed class ScheduleTimeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 8, 15, 42, TimeSpan.Zero);

    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private readonly FakeTimeProvider _clock = new(Now);

    [Theory]
    [InlineData("now")]
    [InlineData("  NOW ")]
    public void Parse_Now_IsTheClocksInstantInUtc(string text)
    {
        var time = ScheduleTime.Parse(text, _clock, Berlin);

        Assert.Equal(new ScheduleTime(Now, "UTC"), time);
        Assert.Equal(TimeSpan.Zero, time.Utc.Offset);
    }

    [Fact]
    public void Now_IsTheClocksInstantInUtc()
    {
        _clock.Advance(TimeSpan.FromMinutes(3));

        Assert.Equal(new ScheduleTime(Now.AddMinutes(3), "UTC"), ScheduleTime.Now(_clock));
    }

    [Fact]
    public void At_InstantWithAnOffset_IsStoredAsTheSameInstantInUtc()
    {
        var time = ScheduleTime.At(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(1)));

        Assert.Equal(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero), time.Utc);
        Assert.Equal(TimeSpan.Zero, time.Utc.Offset);
        Assert.Equal("UTC", time.TimeZone);
    }

    [Theory]
    [InlineData("2026-12-01T09:00:00+01:00", 8)]
    [InlineData("2026-12-01T09:00:00-05:00", 14)]
    [InlineData("2026-12-01T09:00:00+0100", 8)]
    public void Parse_IsoWithAnOffset_IsThatInstantInUtc(string text, int utcHour)
    {
        var time = ScheduleTime.Parse(text, _clock, Berlin);

        Assert.Equal(new DateTimeOffset(2026, 12, 1, utcHour, 0, 0, TimeSpan.Zero), time.Utc);
        Assert.Equal(TimeSpan.Zero, time.Utc.Offset);
        Assert.Equal("UTC", time.TimeZone);
    }

    [Theory]
    [InlineData("2026-12-01T09:00:00Z")]
    [InlineData("2026-12-01T09:00:00z")]
    public void Parse_IsoWithZ_IsThatInstantAndNotTheDefaultZone(string text)
    {
        var time = ScheduleTime.Parse(text, _clock, Berlin);

        Assert.Equal(new ScheduleTime(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero), "UTC"), time);
    }

    [Theory]
    [InlineData("2026-12-01 09:00 Europe/Berlin", "2026-12-01T08:00:00Z", "Europe/Berlin")]
    [InlineData("2026-07-01 09:00 Europe/Berlin", "2026-07-01T07:00:00Z", "Europe/Berlin")]
    [InlineData("2026-12-01T09:00:30 America/New_York", "2026-12-01T14:00:30Z", "America/New_York")]
    [InlineData("2026-12-01 09:00 America/Argentina/Buenos_Aires", "2026-12-01T12:00:00Z", "America/Argentina/Buenos_Aires")]
    [InlineData("2026-12-01 09:00 UTC", "2026-12-01T09:00:00Z", "UTC")]
    public void Parse_LocalTimeWithAnIanaZone_IsConvertedWithThatZonesOffsetAndKeepsTheZone(string text, string utc, string zone)
    {
        var time = ScheduleTime.Parse(text, _clock, TimeZoneInfo.Utc);

        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), time.Utc);
        Assert.Equal(TimeSpan.Zero, time.Utc.Offset);
        Assert.Equal(zone, time.TimeZone);
    }

    /// <summary>
    /// Regression: the pattern took "9:00" as a local time but the parser then wanted two hour digits, so
    /// "2026-12-01 9:00 Europe/Berlin" was refused as "not a valid date and time".
    /// </summary>
    [Theory]
    [InlineData("2026-12-01 9:00 Europe/Berlin", "2026-12-01T08:00:00Z")]
    [InlineData("2026-12-01 9:05:30 Europe/Berlin", "2026-12-01T08:05:30Z")]
    [InlineData("2026-12-01T9:00", "2026-12-01T08:00:00Z")]
    public void Parse_LocalTimeWithASingleDigitHour_IsReadAsThatHour(string text, string utc)
    {
        var time = ScheduleTime.Parse(text, _clock, Berlin);

        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), time.Utc);
        Assert.Equal("Europe/Berlin", time.TimeZone);
    }

    [Fact]
    public void Local_TimeGivenInAZone_IsTheWallClockTimeTheUserTyped()
    {
        var time = ScheduleTime.Parse("2026-07-01 09:00 Europe/Berlin", _clock);

        Assert.Equal(new DateTimeOffset(2026, 7, 1, 9, 0, 0, TimeSpan.FromHours(2)), time.Local);
        Assert.Equal(TimeSpan.FromHours(2), time.Local.Offset);
    }

    [Fact]
    public void Parse_LocalTimeWithoutAZone_IsReadInTheDefaultZone()
    {
        var time = ScheduleTime.Parse("2026-12-01 09:00", _clock, Berlin);

        Assert.Equal(new ScheduleTime(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero), "Europe/Berlin"), time);
    }

    [Fact]
    public void Parse_LocalTimeWithoutAZoneOrADefaultZone_IsReadInUtc()
    {
        var time = ScheduleTime.Parse("2026-12-01 09:00", _clock);

        Assert.Equal(new ScheduleTime(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero), "UTC"), time);
    }

    [Fact]
    public void Parse_LocalTimeInTheSpringForwardGap_IsRefusedNamingTheFieldAndTheZone()
    {
        // On 29 March 2026 Berlin's clocks jump from 02:00 to 03:00: 02:30 never happens there.
        var ex = Assert.Throws<ScheduleTimeException>(() => ScheduleTime.Parse("2026-03-29 02:30 Europe/Berlin", _clock));

        Assert.Equal("--at", ex.Field);
        Assert.StartsWith("--at: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("2026-03-29 02:30 does not exist in Europe/Berlin", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LocalTimeInTheSpringForwardGapOfTheDefaultZone_IsRefused()
    {
        var ex = Assert.Throws<ScheduleTimeException>(() => ScheduleTime.Parse("2026-03-29 02:30", _clock, Berlin, "schedule"));

        Assert.Equal("schedule", ex.Field);
        Assert.Contains("does not exist in Europe/Berlin", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LocalTimeInTheFallBackRepeatedHour_TakesTheFirstInstant()
    {
        // On 25 October 2026 Berlin's clocks go back from 03:00 to 02:00: 02:30 happens at 00:30 UTC (still on
        // summer time, +02:00) and again at 01:30 UTC. The first is the one the user meant to be early enough for.
        var time = ScheduleTime.Parse("2026-10-25 02:30 Europe/Berlin", _clock);

        Assert.Equal(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), time.Utc);
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 2, 30, 0, TimeSpan.FromHours(2)), time.Local);
    }

    [Fact]
    public void Parse_LocalTimeJustAfterTheRepeatedHour_IsOnWinterTime()
    {
        var time = ScheduleTime.Parse("2026-10-25 03:00 Europe/Berlin", _clock);

        Assert.Equal(new DateTimeOffset(2026, 10, 25, 2, 0, 0, TimeSpan.Zero), time.Utc);
    }

    [Fact]
    public void Parse_UnknownZone_IsRefusedNamingTheFieldAndTheZone()
    {
        var ex = Assert.Throws<ScheduleTimeException>(() => ScheduleTime.Parse("2026-12-01 09:00 Mars/Olympus_Mons", _clock, Berlin, "scheduled_at"));

        Assert.Equal("scheduled_at", ex.Field);
        Assert.StartsWith("scheduled_at: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("unknown time zone 'Mars/Olympus_Mons'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("next tuesday")]
    [InlineData("12/01/2026 9am")]
    [InlineData("2026-12-01 09:00 +5")]
    public void Parse_TextThatIsNoTime_IsRefusedNamingTheFieldAndSayingWhatToWrite(string text)
    {
        var ex = Assert.Throws<ScheduleTimeException>(() => ScheduleTime.Parse(text, _clock, Berlin, "--at"));

        Assert.Equal("--at", ex.Field);
        Assert.StartsWith($"--at: '{text}' is not a time Herald understands", ex.Message, StringComparison.Ordinal);
        Assert.Contains("2026-12-01 09:00 Europe/Berlin", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-13-01 09:00")]
    [InlineData("2026-02-30 09:00 Europe/Berlin")]
    [InlineData("2026-12-01 25:00")]
    public void Parse_DateThatDoesNotExist_IsRefusedNamingTheField(string text)
    {
        var ex = Assert.Throws<ScheduleTimeException>(() => ScheduleTime.Parse(text, _clock, Berlin, "at"));

        Assert.Equal("at", ex.Field);
        Assert.StartsWith("at: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("is not a valid date and time", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WithoutAFieldName_NamesTheCliOption()
    {
        var ex = Assert.Throws<ScheduleTimeException>(() => ScheduleTime.Parse("soon", _clock));

        Assert.Equal("--at", ex.Field);
        Assert.IsAssignableFrom<FormatException>(ex);
    }
}
