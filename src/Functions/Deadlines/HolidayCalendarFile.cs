using System.Text.Json;
using FuncRegistry.Core.Deadlines;
using FuncRegistry.Functions.Http;

namespace FuncRegistry.Functions.Deadlines;

/// <summary>
/// The working-day calendar as configuration: a JSON file with one entry per year and per
/// festival, as the State Council's notice lists them. The mainland-China file for 2026 and 2027
/// is built in (<c>Deadlines/calendar-cn.json</c>); <c>Deadlines:CalendarFile</c> replaces it.
/// </summary>
public static class HolidayCalendarFile
{
    private const string BuiltIn = "FuncRegistry.Functions.Deadlines.calendar-cn.json";

    private sealed record FileModel(List<YearModel>? Years);
    private sealed record YearModel(int Year, string? Source, bool Provisional, List<HolidayModel>? Holidays);
    private sealed record HolidayModel(string? Name, DateOnly From, DateOnly To, List<DateOnly>? WorkingDays);

    /// <summary>The built-in calendar, or the file at <paramref name="path"/> when given (relative to the app's directory).</summary>
    public static WorkingCalendar Load(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            using var stream = typeof(HolidayCalendarFile).Assembly.GetManifestResourceStream(BuiltIn)
                ?? throw new InvalidOperationException($"embedded resource {BuiltIn} is missing");
            using var reader = new StreamReader(stream);
            return Parse(reader.ReadToEnd());
        }
        return Parse(File.ReadAllText(Path.IsPathRooted(path) ? path : Path.Combine(AppContext.BaseDirectory, path)));
    }

    /// <summary>Parses a calendar file. Throws on a malformed file: a wrong calendar must stop the app, not skew every due date.</summary>
    public static WorkingCalendar Parse(string json)
    {
        var file = JsonSerializer.Deserialize<FileModel>(json, Json.Options) ?? throw new InvalidDataException("empty calendar file");
        return new WorkingCalendar((file.Years ?? []).Select(y =>
        {
            var holidays = y.Holidays ?? [];
            var off = new HashSet<DateOnly>();
            foreach (var h in holidays)
            {
                if (h.To < h.From) throw new InvalidDataException($"calendar {y.Year}: {h.Name} ends before it starts");
                for (var d = h.From; d <= h.To; d = d.AddDays(1)) off.Add(d);
            }
            var working = holidays.SelectMany(h => h.WorkingDays ?? []).ToHashSet();
            return new CalendarYear(y.Year, off, working, y.Source ?? "", y.Provisional);
        }));
    }
}
