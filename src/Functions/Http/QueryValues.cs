using System.Text.Json;

namespace FuncRegistry.Functions.Http;

/// <summary>
/// Enum values in a query string as the API writes them in its bodies (camelCase, e.g.
/// <c>status=pendingCityReview</c>), accepted in any letter case; never a number or a combination.
/// </summary>
public static class QueryValues
{
    /// <summary>Parses <paramref name="value"/>; false for anything that is not one of <paramref name="allowed"/>.</summary>
    public static bool TryParse<T>(string? value, IReadOnlyCollection<T> allowed, out T result) where T : struct, Enum =>
        Enum.TryParse(value, ignoreCase: true, out result) && !value.Any(c => char.IsAsciiDigit(c) || c == ',') && allowed.Contains(result);

    /// <summary>
    /// An optional enum filter of a list: no value (null, no problem), one of <paramref name="allowed"/>,
    /// or a 400 naming the choices under <paramref name="field"/>.
    /// </summary>
    public static (T? Value, IResult? Problem) Filter<T>(string? value, string field, string label, IReadOnlyCollection<T> allowed) where T : struct, Enum =>
        string.IsNullOrEmpty(value) ? (null, null)
        : TryParse(value, allowed, out var parsed) ? (parsed, null)
        : (null, Problems.Invalid(new() { [field] = [$"{label}取值无效，可选：{Names(allowed)}"] }));

    /// <summary>The values as a client writes them, for a message: "a、b 或 c".</summary>
    public static string Names<T>(IReadOnlyCollection<T> allowed) where T : struct, Enum => Choices(allowed.Select(v => v.ToString()));

    /// <summary>Enum member names as a client writes them (camelCase), for a message: "a、b 或 c".</summary>
    public static string Choices(IEnumerable<string> memberNames)
    {
        var names = memberNames.Select(JsonNamingPolicy.CamelCase.ConvertName).ToList();
        return names.Count == 1 ? names[0] : string.Join("、", names[..^1]) + " 或 " + names[^1];
    }
}
