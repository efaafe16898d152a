namespace FuncRegistry.Core.Deadlines;

/// <summary>
/// One year's official arrangement (国务院办公厅关于部分节假日安排的通知): the days off besides
/// weekends (statutory holidays and the days moved around them) and the weekend days that are
/// working days (调休上班).
/// </summary>
/// <param name="Year">The calendar year.</param>
/// <param name="DaysOff">Days without work, weekends among them allowed (a holiday that falls on a weekend is listed as it is announced).</param>
/// <param name="WorkingDays">Weekend days that are working days (make-up days, 调休).</param>
/// <param name="Source">Where the dates come from (the notice and its date).</param>
/// <param name="Provisional">True until the year's dates are confirmed against the State Council's notice.</param>
public sealed record CalendarYear(int Year, IReadOnlySet<DateOnly> DaysOff, IReadOnlySet<DateOnly> WorkingDays, string Source, bool Provisional = false);

/// <summary>
/// The working-day calendar periods are counted on (行政许可法 Art. 82: working days, without
/// statutory holidays): Monday to Friday, except the days off of a configured year, plus its
/// make-up working days. A year that is not configured counts weekends only.
/// </summary>
public sealed class WorkingCalendar
{
    private readonly Dictionary<int, CalendarYear> _years;

    /// <summary>A calendar of the given years. Throws when a year is listed twice, a date lies outside its year, or a date is both a day off and a working day.</summary>
    public WorkingCalendar(IEnumerable<CalendarYear> years)
    {
        _years = new Dictionary<int, CalendarYear>();
        foreach (var year in years)
        {
            if (!_years.TryAdd(year.Year, year)) throw new ArgumentException($"calendar year {year.Year} is listed twice");
            var stray = year.DaysOff.Concat(year.WorkingDays).Where(d => d.Year != year.Year).ToList();
            if (stray.Count > 0) throw new ArgumentException($"calendar year {year.Year} lists {stray[0]:yyyy-MM-dd}, which is of another year");
            var both = year.DaysOff.Intersect(year.WorkingDays).ToList();
            if (both.Count > 0) throw new ArgumentException($"calendar year {year.Year} lists {both[0]:yyyy-MM-dd} both as a day off and as a working day");
        }
    }

    /// <summary>Weekends only: no holidays configured.</summary>
    public static WorkingCalendar WeekendsOnly { get; } = new([]);

    /// <summary>The configured years, in order.</summary>
    public IReadOnlyList<CalendarYear> Years => _years.Values.OrderBy(y => y.Year).ToList();

    /// <summary>The arrangement of a year, or null when the year is not configured.</summary>
    public CalendarYear? YearOf(int year) => _years.GetValueOrDefault(year);

    /// <summary>True on a working day.</summary>
    public bool IsWorkingDay(DateOnly day)
    {
        if (_years.TryGetValue(day.Year, out var year))
        {
            if (year.WorkingDays.Contains(day)) return true;
            if (year.DaysOff.Contains(day)) return false;
        }
        return day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
    }

    /// <summary>
    /// The <paramref name="workingDays"/>-th working day after <paramref name="day"/> (before it when
    /// negative; the day itself when zero). A period starts the day after the event that starts it,
    /// so a 5-working-day stage entered on <paramref name="day"/> falls due at the end of <c>AddWorkingDays(day, 5)</c>.
    /// </summary>
    public DateOnly AddWorkingDays(DateOnly day, int workingDays)
    {
        var step = Math.Sign(workingDays);
        for (var left = Math.Abs(workingDays); left > 0;)
        {
            day = day.AddDays(step);
            if (IsWorkingDay(day)) left--;
        }
        return day;
    }

    /// <summary>Working days in (<paramref name="from"/>, <paramref name="to"/>]: after the first, up to and including the last; negative when <paramref name="to"/> is earlier.</summary>
    public int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        if (to < from) return -WorkingDaysBetween(to, from);
        var count = 0;
        for (var day = from.AddDays(1); day <= to; day = day.AddDays(1))
            if (IsWorkingDay(day)) count++;
        return count;
    }
}
