namespace FuncRegistry.Core.Deadlines;

/// <summary>
/// The register's dates and the working-day calendar are Beijing dates (UTC+8, no daylight
/// saving): a day starts at 00:00 Beijing time whatever the server's zone.
/// </summary>
public static class BeijingTime
{
    /// <summary>UTC+8.</summary>
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>The Beijing date of an instant.</summary>
    public static DateOnly DateOf(DateTimeOffset at) => DateOnly.FromDateTime(at.ToOffset(Offset).DateTime);

    /// <summary>00:00 Beijing time on <paramref name="date"/>.</summary>
    public static DateTimeOffset StartOf(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), Offset);

    /// <summary>The instant a day ends: 00:00 Beijing time of the next day (exclusive).</summary>
    public static DateTimeOffset EndOf(DateOnly date) => StartOf(date.AddDays(1));

    /// <summary>The day whose end is <paramref name="end"/> (the inverse of <see cref="EndOf"/>).</summary>
    public static DateOnly DayEndingAt(DateTimeOffset end) => DateOf(end.AddTicks(-1));
}
