using System.Text.Json.Nodes;

namespace FuncRegistry.Bench;

/// <summary>The short table printed after the JSON summary.</summary>
public static class Report
{
    public static void PrintTable(JsonObject s)
    {
        Console.WriteLine();
        Console.WriteLine($"{"measure",-46} {"value",14}");
        void Row(string name, JsonNode? value)
        {
            if (value is not null) Console.WriteLine($"{name,-46} {value.ToJsonString(),14}");
        }
        Row("lifecycles/s (1 instance)", s["lifecyclesPerSecond"]);
        Row("lifecycles/s (2 instances)", s["lifecycles"]?["instances2"]?["lifecyclesPerSecond"]);
        Row("storage ceiling lifecycles/s", s["ceilingLifecyclesPerSecond"]);
        Row("ratio to ceiling", s["ratioToCeiling"]);
        Row("storage requests per lifecycle", s["storageRequestsPerLifecycle"]);
        Row("  of which the Durable provider's", s["providerRequestsPerLifecycle"]);
        Row("approval → SMS p99 ms", s["approvalToSmsP99Ms"]);
        Row("idle storage requests per minute", s["idleStorageRequestsPerMinute"]);
        Row("  of which the Durable provider's", s["idleProviderRequestsPerMinute"]);
        Row($"stuck instances (racing, {s["racingLifecycles"]} lifecycles)", s["stuckInstances"]);
        Row("  last command → settled p99 ms", s["racing"]?["lastCommandToSettledMs"]?["p99"]);
        Row("review queue p99 ratio (large/1k)", s["reviewQueueP99RatioAt100k"]);
        Row("  app overhead p50 ms at 1k / large", s["appOverheadMsAt1k"] is null ? null : JsonValue.Create($"{s["appOverheadMsAt1k"]}/{s["appOverheadMsAtLarge"]}"));
        Row("  same page from storage directly", s["reviewQueueStorageP99RatioAt100k"]);
        if (s["reviewQueue"] is JsonObject queue)
        {
            Row("  app storage requests per page (1k/large)", JsonValue.Create($"{queue["atSmall"]?["appStorageRequestsPerPage"]}/{queue["atLarge"]?["appStorageRequestsPerPage"]}"));
            foreach (var (name, small) in queue["atSmall"]?["workbench"] as JsonObject ?? [])
            {
                var large = queue["atLarge"]?["workbench"]?[name];
                Row($"  {name}: requests, p50/p99 ms (1k | large)", JsonValue.Create(
                    $"{small?["appStorageRequestsPerQuery"]}, {small?["app"]?["p50"]}/{small?["app"]?["p99"]} | {large?["appStorageRequestsPerQuery"]}, {large?["app"]?["p50"]}/{large?["app"]?["p99"]}"));
            }
        }
        Row($"import rows/s ({s["import"]?["rows"]} rows)", s["importRowsPerSecond"]);
        Row($"  its first {s["import"]?["againRows"]} rows again, rows/s", s["import"]?["again"]?["rowsPerSecond"]);
        Row("  storage requests per row (first/again)", s["import"] is null ? null : JsonValue.Create($"{s["import"]!["first"]!["storageRequestsPerRow"]}/{s["import"]!["again"]!["storageRequestsPerRow"]}"));
        Row("cold start ms", s["coldStartMs"]);
        var one = s["lifecycles"]?["instances1"];
        Row("outbox lag p99 ms (certificate)", one?["outboxLagMs"]?["certificateChanged"]?["p99"]);
        Row("outbox lag p99 ms (SMS)", one?["outboxLagMs"]?["smsRecorded"]?["p99"]);
        Row("allocated bytes per lifecycle", one?["allocatedBytesPerLifecycle"]);
        Row("peak working set bytes", one?["peakWorkingSetBytes"]);
        Row("durable baseline storage requests/lifecycle", s["durableBaselineRequestsPerLifecycle"]);
        Row("durable baseline lifecycles/s (16 clients)", s["durableBaselineLifecyclesPerSecond"]);
        Row("durable baseline stuck instances", s["durableBaselineStuckInstances"]);
        Row("durable idle storage requests per minute", s["durableIdleRequestsPerMinute"]);
        if (s["durableProvinceToCompletedMs"] is JsonObject d)
            Row("  durable province → Completed p50/p99 ms", JsonValue.Create($"{d["p50"]}/{d["p99"]}"));
        Row("  durable province → Completed after idle ms", s["durableBaseline"]?["provinceToCompletedAfterIdleMs"]);
        if (s["targets"] is JsonObject targets)
            foreach (var (name, t) in targets)
                Row($"target {name}", JsonValue.Create($"{(t!["met"]!.GetValue<bool>() ? "met" : "NOT met")} {t["value"]} vs {t["limit"]}{(t["lifecycles"] is { } n ? $" over {n}" : "")}"));
        if (s["latencyMs"] is JsonObject latency)
            foreach (var (endpoint, p) in latency)
                Row($"  {endpoint} p50/p95/p99", JsonValue.Create($"{p?["p50"]}/{p?["p95"]}/{p?["p99"]}"));
    }
}
