using System.Text;

namespace FuncRegistry.Functions.Certificates;

/// <summary>
/// A minimal RFC 4180 reader: comma-separated fields, double-quoted fields may hold commas,
/// line breaks and doubled quotes. Yields each record with the line it starts on.
/// (The CsvHelper on our package source is a rewrite with a different API; this is all the import needs.)
/// </summary>
public static class CsvRecords
{
    /// <summary>Reads records; a UTF-8 BOM is skipped by the reader.</summary>
    public static async IAsyncEnumerable<(int Line, string[] Fields)> ReadAsync(TextReader reader)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var startLine = 1;
        var quoted = false;
        var any = false;
        var buffer = new char[8192];
        int read;
        char previous = '\0';
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                var c = buffer[i];
                if (quoted)
                {
                    if (c == '"') quoted = false;
                    else { if (c == '\n') line++; field.Append(c); }
                }
                else if (c == '"')
                {
                    if (previous == '"' && field.Length > 0) field.Append('"');
                    quoted = true;
                    any = true;
                }
                else if (c == ',') { fields.Add(field.ToString()); field.Clear(); any = true; }
                else if (c == '\n')
                {
                    if (any || field.Length > 0) { fields.Add(field.ToString().TrimEnd('\r')); yield return (startLine, fields.ToArray()); }
                    fields.Clear(); field.Clear(); any = false; line++; startLine = line;
                }
                else { field.Append(c); any = true; }
                previous = c;
            }
        }
        if (any || field.Length > 0) { fields.Add(field.ToString().TrimEnd('\r')); yield return (startLine, fields.ToArray()); }
    }
}
