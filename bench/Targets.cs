using System.Text.Json;
using System.Text.Json.Nodes;

namespace FuncRegistry.Bench;

/// <summary>
/// The targets of issue 13 item 10 for the full app (its orchestration included), checked against
/// what this run measured: each with its value, its limit and whether it was met. A target whose
/// figures this run did not measure is left out.
/// </summary>
public static class Targets
{
    public static JsonObject Of(JsonObject s)
    {
        var targets = new JsonObject();
        void Check(string name, double? value, double? limit, bool atMost, string rule)
        {
            if (value is null || limit is null) return;
            targets[name] = new JsonObject
            {
                ["value"] = value, ["limit"] = Math.Round(limit.Value, 2), ["rule"] = rule,
                ["met"] = atMost ? value <= limit : value >= limit,
            };
        }
        double? Number(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.Deserialize<double>() : null;

        var baselineRequests = Number(s["durableBaselineRequestsPerLifecycle"]);
        Check("storageRequestsPerLifecycle", Number(s["storageRequestsPerLifecycle"]), baselineRequests + 8, atMost: true, "≤ Durable baseline + 8");
        var baselineRate = Number(s["durableBaselineLifecyclesPerSecond"]);
        Check("lifecyclesPerSecond", Number(s["lifecyclesPerSecond"]), baselineRate * 0.8, atMost: false, "≥ 0.8 × Durable baseline");
        if (Number(s["stuckInstances"]) is { } stuck && Number(s["racingLifecycles"]) is { } racing)
            targets["stuckInstances"] = new JsonObject
            {
                ["value"] = stuck, ["limit"] = 0, ["lifecycles"] = racing, ["rule"] = "0 over ≥ 1,000 lifecycles with racing duplicate decisions",
                ["met"] = stuck == 0 && racing >= 1_000,
            };
        Check("idleStorageRequestsPerMinute", Number(s["idleStorageRequestsPerMinute"]), 60, atMost: true, "≤ 60 at the shipped settings");
        Check("approvalToSmsP99Ms", Number(s["approvalToSmsP99Ms"]), 3_000, atMost: true, "≤ 3 s");
        if (Number(s["reviewQueue"]?["large"]) is { } large)
            Check("appOverheadRatio", Number(s["appOverheadRatio"]), 1.5, atMost: true, $"app overhead at {large:N0} ≤ 1.5 × at 1k (target at 100k)");
        return targets;
    }
}
