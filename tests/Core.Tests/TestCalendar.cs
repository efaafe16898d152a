using FuncRegistry.Core.Deadlines;

namespace FuncRegistry.Core.Tests;

/// <summary>
/// Mainland China's 2026 arrangement as the State Council announced it (2025-11-04), and New
/// Year's Day 2027: the same dates the app ships, written out here so Core's tests need no file.
/// </summary>
internal static class TestCalendar
{
    public static WorkingCalendar China { get; } = new(
    [
        new CalendarYear(2026,
            Days(Range("2026-01-01", "2026-01-03"), Range("2026-02-15", "2026-02-23"), Range("2026-04-04", "2026-04-06"),
                Range("2026-05-01", "2026-05-05"), Range("2026-06-19", "2026-06-21"), Range("2026-09-25", "2026-09-27"),
                Range("2026-10-01", "2026-10-07")),
            Days(["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]),
            "国务院办公厅关于2026年部分节假日安排的通知"),
        new CalendarYear(2027, Days(Range("2027-01-01", "2027-01-01")), Days([]), "provisional", Provisional: true),
    ]);

    public static DeadlinePolicy Policy { get; } = new(China);

    public static DateOnly D(string iso) => DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>An instant in Beijing time, e.g. "2026-11-23 10:00".</summary>
    public static DateTimeOffset Beijing(string local) =>
        new(DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture), BeijingTime.Offset);

    /// <summary>
    /// Runs the review clock every 30 minutes from <paramref name="from"/> until <paramref name="until"/>,
    /// appending what falls due to <paramref name="history"/>, and checks at every step that
    /// something falls due exactly when <see cref="ReviewClock.NextCheckAt"/> said it would
    /// (what the timers rely on). Returns the events recorded.
    /// </summary>
    public static List<Applications.ApplicationEvent> RunClock(List<Applications.ApplicationEvent> history, DeadlinePolicy policy, string from, string until)
    {
        var by = Applications.ActorRef.Of(Applications.Actor.System);
        var recorded = new List<Applications.ApplicationEvent>();
        for (var at = Beijing(from); at < Beijing(until); at = at.AddMinutes(30))
        {
            var state = Applications.ApplicationState.From(history);
            var next = ReviewClock.NextCheckAt(state, policy);
            var due = ReviewClock.DueEvents(state, policy, by, at);
            Xunit.Assert.Equal(next is { } n && at >= n, due.Count > 0);
            history.AddRange(due);
            recorded.AddRange(due);
        }
        return recorded;
    }

    private static IEnumerable<string> Range(string from, string to)
    {
        for (var d = D(from); d <= D(to); d = d.AddDays(1)) yield return d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static HashSet<DateOnly> Days(params IEnumerable<string>[] lists) => lists.SelectMany(l => l).Select(D).ToHashSet();
}
