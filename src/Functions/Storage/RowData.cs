using System.Text;
using Azure.Data.Tables;

namespace FuncRegistry.Functions.Storage;

/// <summary>
/// A serialized value (an event, a side effect) kept in a table row: in <c>Data</c>, continued in
/// <c>Data1</c>, <c>Data2</c>, … when it is longer than one string property holds (Table storage:
/// 64 KiB, 32K UTF-16 characters; a 200-line batch's submission is about twice that, ADR 0019). A value
/// is cut only between whole characters, never inside a surrogate pair, and reads back as written, so
/// the audit chain hashes it whole. A row written before values were split has <c>Data</c> only and
/// reads the same. The row as a whole stays within the entity's 1 MiB.
/// </summary>
public static class RowData
{
    /// <summary>Characters per property: under the 32,768 one holds.</summary>
    public const int MaxChars = 32_000;

    private const string Name = "Data";

    /// <summary>Writes <paramref name="value"/> into <paramref name="row"/>, over as many properties as it needs.</summary>
    public static void Write(TableEntity row, string value)
    {
        var part = 0;
        for (var start = 0; start < value.Length || part == 0; part++)
        {
            var length = Math.Min(MaxChars, value.Length - start);
            // Never end a part between the two halves of a character outside the basic plane.
            if (start + length < value.Length && char.IsHighSurrogate(value[start + length - 1])) length--;
            row[PropertyName(part)] = value.Substring(start, length);
            start += length;
        }
    }

    /// <summary>The value written by <see cref="Write"/> (null when the row has none).</summary>
    public static string? Read(TableEntity row)
    {
        if (row.GetString(Name) is not { } first) return null;
        if (!row.ContainsKey(PropertyName(1))) return first;
        var value = new StringBuilder(first);
        for (var part = 1; row.GetString(PropertyName(part)) is { } next; part++) value.Append(next);
        return value.ToString();
    }

    private static string PropertyName(int part) => part == 0 ? Name : Name + part.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
