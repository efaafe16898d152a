using System.Diagnostics;
using System.Text.Json.Nodes;

namespace FuncRegistry.Bench;

/// <summary>
/// The register import: one POST of <c>rows</c> synthetic certificates, then the same file again
/// (every row unchanged, nothing written), each timed from the client. Reports rows/s, the storage
/// requests per row the app counted, and the machine's load average, since the 2-core development
/// machine is shared and the figure moves with it.
/// </summary>
public static class Import
{
    public static async Task<JsonObject> MeasureAsync(Api api, string run, int rows)
    {
        var (csv, _) = Register.Make("i" + run[..6], 0, rows, "620500");
        var admin = await api.TokenAsync(new { role = "admin", subject = "bench-admin", name = "基准管理员" });
        var load = LoadAverage();
        var first = await PassAsync(api, admin, csv, rows);
        var again = await PassAsync(api, admin, csv, rows);
        if (first["imported"]!.GetValue<int>() != rows || again["unchanged"]!.GetValue<int>() != rows)
            throw new InvalidOperationException($"import: expected {rows} imported then {rows} unchanged, got {first.ToJsonString()} then {again.ToJsonString()}");
        return new JsonObject
        {
            ["rows"] = rows, ["first"] = first, ["again"] = again,
            ["loadAverageBefore"] = load, ["loadAverageAfter"] = LoadAverage(),
        };
    }

    private static async Task<JsonObject> PassAsync(Api api, string admin, string csv, int rows)
    {
        var before = await Lifecycles.StorageTotalAsync(api);
        var clock = Stopwatch.StartNew();
        var result = await api.CallAsync("import", HttpMethod.Post, "/api/admin/certificates/import", admin, rawBody: csv, contentType: "text/csv");
        clock.Stop();
        var requests = await Lifecycles.StorageTotalAsync(api) - before;
        return new JsonObject
        {
            ["imported"] = result.GetProperty("imported").GetInt32(), ["unchanged"] = result.GetProperty("unchanged").GetInt32(),
            ["rejected"] = result.GetProperty("rejected").GetArrayLength(),
            ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 2), ["rowsPerSecond"] = Math.Round(rows / clock.Elapsed.TotalSeconds, 0),
            ["storageRequestsPerRow"] = Math.Round(requests / rows, 3),
        };
    }

    /// <summary>The 1-minute load average (Linux), or null elsewhere.</summary>
    private static JsonNode? LoadAverage() =>
        File.Exists("/proc/loadavg") ? JsonValue.Create(double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)) : null;
}
