using FuncRegistry.Core.Deadlines;
using FuncRegistry.Functions.Deadlines;

namespace FuncRegistry.Functions.Tests;

/// <summary>The built-in mainland-China calendar file, read as the app reads it (no storage needed).</summary>
public sealed class CalendarFileTests
{
    private static readonly WorkingCalendar Shipped = HolidayCalendarFile.Load(null);

    private static DateOnly D(string iso) => DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Ships_2026_as_announced_by_the_State_Council_and_2027_as_provisional()
    {
        Assert.False(Shipped.YearOf(2026)!.Provisional);
        Assert.Contains("2026年部分节假日安排", Shipped.YearOf(2026)!.Source);
        Assert.True(Shipped.YearOf(2027)!.Provisional);
    }

    [Theory]
    // 2026: every day off on a weekday, and every make-up working day, of the notice of 4 November 2025.
    [InlineData("2026-01-01", false)] [InlineData("2026-01-02", false)] [InlineData("2026-01-04", true)]
    [InlineData("2026-02-14", true)] [InlineData("2026-02-16", false)] [InlineData("2026-02-23", false)] [InlineData("2026-02-24", true)] [InlineData("2026-02-28", true)]
    [InlineData("2026-04-06", false)] [InlineData("2026-05-04", false)] [InlineData("2026-05-05", false)] [InlineData("2026-05-09", true)]
    [InlineData("2026-06-19", false)] [InlineData("2026-09-20", true)] [InlineData("2026-09-25", false)]
    [InlineData("2026-10-07", false)] [InlineData("2026-10-08", true)] [InlineData("2026-10-10", true)]
    // 2027 (provisional): the statutory days and the compensatory days the law requires.
    [InlineData("2027-01-01", false)] [InlineData("2027-02-05", false)] [InlineData("2027-02-10", false)] [InlineData("2027-02-11", true)]
    [InlineData("2027-04-05", false)] [InlineData("2027-05-04", false)] [InlineData("2027-06-09", false)] [InlineData("2027-09-15", false)]
    [InlineData("2027-10-05", false)] [InlineData("2027-10-06", true)]
    public void Shipped_calendar_knows_the_holidays_and_make_up_days(string day, bool working) =>
        Assert.Equal(working, Shipped.IsWorkingDay(D(day)));

    [Fact]
    public void The_2026_arrangement_has_248_working_days()
    {
        var year = Enumerable.Range(0, 365).Select(i => D("2026-01-01").AddDays(i));
        Assert.Equal(248, year.Count(Shipped.IsWorkingDay));
    }

    [Fact]
    public void A_malformed_calendar_file_stops_the_app_instead_of_skewing_due_dates()
    {
        Assert.Throws<InvalidDataException>(() => HolidayCalendarFile.Parse("""{"years":[{"year":2026,"holidays":[{"name":"x","from":"2026-10-07","to":"2026-10-01"}]}]}"""));
        Assert.Throws<ArgumentException>(() => HolidayCalendarFile.Parse("""{"years":[{"year":2026,"holidays":[{"name":"x","from":"2026-10-01","to":"2026-10-07","workingDays":["2026-10-03"]}]}]}"""));
    }
}
