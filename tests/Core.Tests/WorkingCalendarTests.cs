using FuncRegistry.Core.Deadlines;
using static FuncRegistry.Core.Tests.TestCalendar;

namespace FuncRegistry.Core.Tests;

/// <summary>Working days: Monday to Friday, without the official holidays, plus the make-up working days (调休).</summary>
public class WorkingCalendarTests
{
    [Theory]
    [InlineData("2026-11-23", true)]   // Monday
    [InlineData("2026-11-27", true)]   // Friday
    [InlineData("2026-11-28", false)]  // Saturday
    [InlineData("2026-11-29", false)]  // Sunday
    public void Weekdays_work_and_weekends_do_not(string day, bool working) =>
        Assert.Equal(working, China.IsWorkingDay(D(day)));

    [Theory]
    [InlineData("2026-01-01")]  // 元旦, Thursday
    [InlineData("2026-01-02")]  // 元旦, Friday
    [InlineData("2026-02-16")]  // 春节, Monday
    [InlineData("2026-02-23")]  // 春节, last day, Monday
    [InlineData("2026-05-05")]  // 劳动节, Tuesday
    [InlineData("2026-10-08")]  // not a holiday: the Thursday after National Day
    public void Official_holidays_on_weekdays_are_days_off(string day) =>
        Assert.Equal(day == "2026-10-08", China.IsWorkingDay(D(day)));

    [Theory]
    [InlineData("2026-01-04")]  // Sunday after 元旦
    [InlineData("2026-02-14")]  // Saturday before 春节
    [InlineData("2026-02-28")]  // Saturday after 春节
    [InlineData("2026-09-20")]  // Sunday before National Day
    [InlineData("2026-10-10")]  // Saturday after National Day
    public void Make_up_weekend_days_are_working_days(string day)
    {
        Assert.True(D(day).DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday);
        Assert.True(China.IsWorkingDay(D(day)));
    }

    [Fact]
    public void A_year_without_configuration_counts_weekends_only()
    {
        Assert.Null(China.YearOf(2030));
        Assert.True(China.IsWorkingDay(D("2030-01-01")));
        Assert.False(China.IsWorkingDay(D("2030-01-05")));
    }

    [Fact]
    public void Counting_starts_the_day_after_and_skips_holidays_and_weekends_but_not_make_up_days()
    {
        // Wednesday 30 September, five working days: 8, 9, 10 (make-up Saturday), 12, 13 October.
        Assert.Equal(D("2026-10-13"), China.AddWorkingDays(D("2026-09-30"), 5));
        Assert.Equal(D("2026-10-08"), China.AddWorkingDays(D("2026-09-30"), 1));
        Assert.Equal(D("2026-09-30"), China.AddWorkingDays(D("2026-10-08"), -1));
        Assert.Equal(D("2026-10-05"), China.AddWorkingDays(D("2026-10-05"), 0));
        // Across the Spring Festival: Friday 13 February + 1 is the make-up Saturday 14th, + 2 is the 24th.
        Assert.Equal(D("2026-02-14"), China.AddWorkingDays(D("2026-02-13"), 1));
        Assert.Equal(D("2026-02-24"), China.AddWorkingDays(D("2026-02-13"), 2));
    }

    [Fact]
    public void Working_days_between_two_dates_count_after_the_first_up_to_the_last()
    {
        Assert.Equal(5, China.WorkingDaysBetween(D("2026-09-30"), D("2026-10-13")));
        Assert.Equal(0, China.WorkingDaysBetween(D("2026-11-23"), D("2026-11-23")));
        Assert.Equal(0, China.WorkingDaysBetween(D("2026-11-27"), D("2026-11-29")));
        Assert.Equal(-5, China.WorkingDaysBetween(D("2026-10-13"), D("2026-09-30")));
    }

    [Fact]
    public void A_day_listed_both_off_and_working_or_in_another_year_is_a_configuration_error()
    {
        var day = new HashSet<DateOnly> { D("2026-10-10") };
        Assert.Throws<ArgumentException>(() => new WorkingCalendar([new CalendarYear(2026, day, day, "x")]));
        Assert.Throws<ArgumentException>(() => new WorkingCalendar([new CalendarYear(2027, day, new HashSet<DateOnly>(), "x")]));
        var none = new HashSet<DateOnly>();
        Assert.Throws<ArgumentException>(() => new WorkingCalendar([new CalendarYear(2026, none, none, "x"), new CalendarYear(2026, none, none, "y")]));
    }
}
