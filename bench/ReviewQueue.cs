using System.Text.Json.Nodes;
using Azure.Data.Tables;

namespace FuncRegistry.Bench;

/// <summary>
/// The reviewer-queue query with few and with many applications stored. Queue entries are
/// seeded straight into the queue's key range (the rows the app itself writes with each transition),
/// because driving 100k lifecycles through the API would take the whole budget; the query the
/// reviewer runs is the app's own.
/// </summary>
public static class ReviewQueue
{
    private const string City = "620900";

    public static async Task<JsonObject> MeasureAsync(Api api, string storage, string prefix, int small, int large, int samples)
    {
        var table = new TableClient(storage, prefix + "Applications");
        var reviewer = await api.TokenAsync(new { role = "city-reviewer", subject = "bench-jq", name = "酒泉审核员", city = City });
        await SeedAsync(table, 0, small);
        var atSmall = await SampleAsync(api, reviewer, samples);
        await SeedAsync(table, small, large - small);
        var atLarge = await SampleAsync(api, reviewer, samples);
        var ratio = atSmall["p99"]!.GetValue<double>() is var p99 && p99 > 0 ? Math.Round(atLarge["p99"]!.GetValue<double>() / p99, 2) : 0;
        return new JsonObject { ["small"] = small, ["large"] = large, ["atSmall"] = atSmall, ["atLarge"] = atLarge, ["p99Ratio"] = ratio };
    }

    private static async Task<JsonObject> SampleAsync(Api api, string reviewer, int samples)
    {
        api.Recording = true;
        for (var i = 0; i < samples; i++)
            await api.CallAsync("queue", HttpMethod.Get, "/api/reviews/pending?pageSize=20", reviewer);
        api.Recording = false;
        var result = Lifecycles.Percentiles(api.Latencies["queue"]);
        api.Latencies.Clear();
        return result;
    }

    private static async Task SeedAsync(TableClient table, int first, int count)
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var batches = Enumerable.Range(first, count).Chunk(100);
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (chunk, ct) =>
        {
            var actions = chunk.Select(i =>
            {
                var at = start.AddSeconds(i);
                var id = $"SQ20260101{i:D6}";
                return new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity("registry", $"l|queue-city-{City}|{at.UtcTicks:D19}-{id}")
                {
                    ["Id"] = id, ["Kind"] = "Change", ["Status"] = "PendingCityReview", ["CertificateNumber"] = $"Q{i:D8}",
                    ["CityCode"] = City, ["HolderName"] = "队列测试", ["HolderIdNumber"] = "11010519491231002X", ["CreatedAt"] = at,
                    ["SubmittedAt"] = at, ["StatusSince"] = at, ["UpdatedAt"] = at, ["Round"] = 1,
                });
            });
            await table.SubmitTransactionAsync(actions, ct);
        });
    }
}
