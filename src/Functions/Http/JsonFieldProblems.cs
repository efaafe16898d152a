using System.Text.Json;
using System.Text.RegularExpressions;

namespace FuncRegistry.Functions.Http;

/// <summary>
/// A body that is valid JSON but names a field the request does not have, or gives a field a
/// value of the wrong kind (an unknown enum value, text for a number), is a field problem
/// (400 validation_failed under that field), not "not JSON": a portal shows it next to the field.
/// </summary>
public static partial class JsonFieldProblems
{
    /// <summary>The field and message of <paramref name="error"/>, or null when the body is not JSON at all.</summary>
    public static (string Field, string Message)? Of(JsonException error)
    {
        var path = FieldPath(error.Path);
        if (UnmappedMember().Match(error.Message) is { Success: true } unmapped)
        {
            var name = unmapped.Groups[1].Value;
            var field = path is null ? name : path == name || path.EndsWith("." + name, StringComparison.Ordinal) ? path : path + "." + name;
            return (field, "不支持的字段，请删除（可提交的字段见接口文档）");
        }
        if (path is null || ConversionTarget().Match(error.Message) is not { Success: true } conversion) return null;
        // The message names the type being read: the request (then the path leads to the field) or the field's own type.
        var named = TypeNamed(conversion.Groups[1].Value.TrimEnd('.'));
        var target = named is null ? null : PropertyType(named, path) ?? named;
        return target is { IsEnum: true }
            ? (path, "取值无效，可选：" + QueryValues.Choices(Enum.GetNames(target)))
            : (path, "取值类型不正确");
    }

    /// <summary><c>$.changes.holderName</c> → <c>changes.holderName</c>; null for the body itself.</summary>
    private static string? FieldPath(string? path) => path is { Length: > 2 } && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;

    private static Type? TypeNamed(string name) =>
        new[] { typeof(Core.Applications.ApplicationKind).Assembly, typeof(JsonFieldProblems).Assembly }
            .Select(a => a.GetType(name)).FirstOrDefault(t => t is not null);

    /// <summary>The type of the property a JSON path leads to from <paramref name="type"/> (Nullable unwrapped), or null.</summary>
    private static Type? PropertyType(Type type, string path)
    {
        Type? current = type;
        foreach (var segment in path.Split('.'))
        {
            current = current?.GetProperty(segment, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase)?.PropertyType;
            if (current is not null) current = Nullable.GetUnderlyingType(current) ?? current;
        }
        return current;
    }

    [GeneratedRegex("^The JSON property '([^']+)' could not be mapped to any \\.NET member")]
    private static partial Regex UnmappedMember();

    /// <summary>The type named, unwrapped from Nullable: "…converted to System.Nullable`1[X.Y]. Path: …" → X.Y.</summary>
    [GeneratedRegex("^The JSON value could not be converted to (?:System\\.Nullable`1\\[)?([A-Za-z0-9_.+]+)")]
    private static partial Regex ConversionTarget();
}
