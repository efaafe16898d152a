using System.Globalization;
using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Province;

namespace FuncRegistry.Functions.Storage;

/// <summary>
/// The layout of the reviewers' queues (ADR 0024), rows of the registry partition written with the
/// application's other list rows in each transition's transaction (<see cref="ApplicationIndex.RowsOf"/>):
/// while an application waits at a review stop it has, for each <em>queue scope</em> of that stop
/// (a city stop: <c>city-{city}</c>; the province stop: <c>province</c> and <c>province-{city}</c>),
/// <list type="bullet">
/// <item><c>l|queue-{scope}|{submitted ticks}-{id}</c>: the queue, oldest submission first;</item>
/// <item><c>l|queue-{scope}-{kind}|{submitted ticks}-{id}</c>: the queue of one kind;</item>
/// <item><c>l|due-{scope}|{due ticks}-{id}</c>: the queue by due time, so what is overdue at an instant is one range;</item>
/// </list>
/// and, once per stop, <c>l|name-{city-{city} or province}|{name token}|{id}</c> (the holder's name and,
/// for a name written with ·, each part after the first) and, for a late city stage reported to the
/// province, <c>l|escalated-city-{city}|…</c> and <c>l|escalated-province|…</c> by submission. Every row is
/// a full copy of the list line (<see cref="ApplicationSummary"/>), so a page is one key range read.
/// The city of a queue is the city whose reviewers handle the stage (<see cref="ApplicationState.ReviewCityCode"/>),
/// at the province stage the application's own.
/// </summary>
public static class ReviewQueueRows
{
    /// <summary>The widest province scope.</summary>
    public const string ProvinceScope = "province";

    /// <summary>The queue scope of a city's reviewers.</summary>
    public static string CityScope(string city) => "city-" + city;

    /// <summary>The province's queue of one city's applications.</summary>
    public static string ProvinceCityScope(string city) => "province-" + city;

    /// <summary>The queue, oldest submission first.</summary>
    public static string Queue(string scope) => $"l|queue-{scope}|";

    /// <summary>The queue of one kind, oldest submission first.</summary>
    public static string QueueOfKind(string scope, ApplicationKind kind) => $"l|queue-{scope}-{KindCode(kind)}|";

    /// <summary>The queue by due time, earliest first.</summary>
    public static string Due(string scope) => $"l|due-{scope}|";

    /// <summary>Late city stages reported to the province, oldest submission first.</summary>
    public static string Escalated(string scope) => $"l|escalated-{scope}|";

    /// <summary>The queue by name token (<c>{token}|{id}</c>).</summary>
    public static string Names(string scope) => $"l|name-{scope}|";

    /// <summary>The part of a row key after its family's prefix ordered by time: ticks then id.</summary>
    public static string ByTime(DateTimeOffset at, string id) => $"{TicksOf(at)}-{id}";

    /// <summary>Ticks written so that key order is time order.</summary>
    public static string TicksOf(DateTimeOffset at) => at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>The city of the queue an application waits in (the city whose reviewers handle its stage), or null when it waits in none.</summary>
    public static string? QueueCityOf(ApplicationState s) => s.Status.Stage() is null ? null : CityOf(s.ReviewCityCode);

    /// <summary>A division code's city (a county's code names its city), the code itself when it is not one.</summary>
    public static string CityOf(string code) => DivisionCodes.CityOf(code) ?? code;

    /// <summary>The queue scopes of a stop at a city: the city's, or the province's and the province's for that city.</summary>
    public static IReadOnlyList<string> ScopesOf(ReviewStage stage, string city) =>
        stage == ReviewStage.City ? [CityScope(city)] : [ProvinceScope, ProvinceCityScope(city)];

    /// <summary>The queue rows' keys of an application in <paramref name="s"/> whose stage falls due at <paramref name="dueAt"/> (none outside a stage).</summary>
    public static IEnumerable<string> KeysOf(ApplicationState s, DateTimeOffset? dueAt)
    {
        if (s.Status.Stage() is not { } stage) yield break;
        var city = QueueCityOf(s)!;
        var scopes = ScopesOf(stage, city);
        var submitted = ByTime(s.SubmittedAt ?? s.StatusSince, s.Id);
        foreach (var scope in scopes)
        {
            yield return Queue(scope) + submitted;
            yield return QueueOfKind(scope, s.Kind) + submitted;
            if (dueAt is { } due) yield return Due(scope) + ByTime(due, s.Id);
        }
        foreach (var token in NameTokens(s.HolderName)) yield return Names(scopes[0]) + token + "|" + s.Id;
        if (stage == ReviewStage.City && s.StageClock.Escalated)
        {
            yield return Escalated(CityScope(city)) + submitted;
            yield return Escalated(ProvinceScope) + submitted;
        }
    }

    /// <summary>Longest name token indexed (a row key stays far below Table storage's 1 KiB).</summary>
    public const int MaxTokenLength = 50;

    /// <summary>
    /// What a name is found by: the whole name and, for a name written in parts with a middle dot
    /// (阿依古丽·买买提), each part after the first — a search by a prefix of any of them. Names with
    /// characters a row key cannot carry, or that no register writes in a name, are not indexed.
    /// </summary>
    public static IReadOnlyList<string> NameTokens(string? name)
    {
        var whole = name?.Trim() ?? "";
        if (whole.Length is 0 or > MaxTokenLength || !whole.All(IsNameCharacter)) return [];
        var parts = whole.Split(NameSeparators, StringSplitOptions.RemoveEmptyEntries);
        return [whole, .. parts.Skip(1).Where(p => p != whole).Distinct()];
    }

    /// <summary>True for a query a name can start with (see <see cref="NameTokens"/>).</summary>
    public static bool CanStartAName(string query) => query.Length is > 0 and <= MaxTokenLength && query.All(IsNameCharacter);

    /// <summary>The first key after every key that starts with <paramref name="prefix"/> (its last UTF-16 unit plus one).</summary>
    public static string After(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);

    private static readonly char[] NameSeparators = ['·', '•', '・', '.'];

    private static bool IsNameCharacter(char c) =>
        char.IsLetter(c) || NameSeparators.Contains(c) || char.IsSurrogate(c)
        || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;

    private static string KindCode(ApplicationKind kind) => char.ToLowerInvariant(kind.ToString()[0]) + kind.ToString()[1..];
}
