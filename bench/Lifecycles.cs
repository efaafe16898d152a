using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FuncRegistry.Bench;

/// <summary>Complete lifecycles: create → submit → city approve → province approve → certificate changed → SMS recorded.</summary>
public static class Lifecycles
{
    /// <summary>What a portal submits: the commitment of a change in force (what the applicant accepted).</summary>
    private static readonly object SubmitBody = new { commitmentVersion = FuncRegistry.Core.Applications.Commitments.Current(FuncRegistry.Core.Applications.ApplicationKind.Change).Version };

    public static async Task<JsonObject> RunAsync(Api api, string run, int first, int warmUp, int count, int concurrency)
    {
        var (csv, holders) = Register.Make(run, first, warmUp + count);
        var admin = await api.TokenAsync(new { role = "admin", subject = "bench-admin", name = "基准管理员" });
        await api.CallAsync("import", HttpMethod.Post, "/api/admin/certificates/import", admin, rawBody: csv, contentType: "text/csv");
        var city = await api.TokenAsync(new { role = "city-reviewer", subject = "bench-city", name = "基准市州审核员", city = "620100" });
        var province = await api.TokenAsync(new { role = "province-reviewer", subject = "bench-province", name = "基准省级审核员" });
        var tokens = new string[holders.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, holders.Count), new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (i, _) => tokens[i] = await api.TokenAsync(new { role = "applicant", subject = holders[i].IdNumber, name = "测试" }));

        await RunManyAsync(api, holders, tokens, city, province, 0, warmUp, concurrency, new(), new(), new StrongBox(), new StrongBox());

        var before = await DiagnosticsAsync(api);
        var certificateLag = new ConcurrentBag<double>();
        var smsLag = new ConcurrentBag<double>();
        var verificationReads = new StrongBox();
        var smsSentInAnswer = new StrongBox();
        api.Recording = true;
        var clock = Stopwatch.StartNew();
        await RunManyAsync(api, holders, tokens, city, province, warmUp, count, concurrency, certificateLag, smsLag, verificationReads, smsSentInAnswer);
        clock.Stop();
        api.Recording = false;
        var after = await DiagnosticsAsync(api);

        double Delta(string service, string kind) => after[service][kind] - before[service][kind];
        // Each verification GET (certificate, recorded SMS) is one table read the lifecycle itself does not need.
        var mix = new Dictionary<string, double>
        {
            ["tableReads"] = (Delta("table", "reads") - Delta("table", "queries") - verificationReads.Value) / count,
            ["tableQueries"] = Delta("table", "queries") / count,
            ["tableWrites"] = (Delta("table", "writes") - Delta("table", "batches")) / count,
            ["tableBatches"] = Delta("table", "batches") / count,
            ["queueReads"] = Delta("queue", "reads") / count,
            ["queueWrites"] = Delta("queue", "writes") / count,
            ["blobReads"] = Delta("blob", "reads") / count,
            ["blobWrites"] = Delta("blob", "writes") / count,
        };
        var provider = ProviderTotal(after) - ProviderTotal(before);
        var latency = new JsonObject();
        foreach (var (endpoint, samples) in api.Latencies.OrderBy(l => l.Key))
            latency[endpoint] = Percentiles(samples);
        api.Latencies.Clear();
        return new JsonObject
        {
            ["lifecycles"] = count,
            ["concurrency"] = concurrency,
            ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 2),
            ["lifecyclesPerSecond"] = Math.Round(count / clock.Elapsed.TotalSeconds, 2),
            ["latencyMs"] = latency,
            ["outboxLagMs"] = new JsonObject { ["certificateChanged"] = Percentiles(certificateLag), ["smsRecorded"] = Percentiles(smsLag) },
            // Everything the process asked of storage, the Durable provider's requests included; then the two shares.
            ["storageRequestsPerLifecycle"] = Math.Round(mix.Values.Sum(), 2),
            ["providerRequestsPerLifecycle"] = Math.Round(provider / count, 2),
            ["appRequestsPerLifecycle"] = Math.Round(mix.Values.Sum() - provider / count, 2),
            ["providerMixPerLifecycle"] = new JsonObject
            {
                ["table"] = Math.Round((after["provider"]["tableReads"] + after["provider"]["tableWrites"] - before["provider"]["tableReads"] - before["provider"]["tableWrites"]) / count, 2),
                ["queue"] = Math.Round((after["provider"]["queue"] - before["provider"]["queue"]) / count, 2),
                ["blob"] = Math.Round((after["provider"]["blob"] - before["provider"]["blob"]) / count, 2),
            },
            // Province approvals whose answer already showed the approval SMS sent (the command waits for it, bounded by Durable:EffectWait).
            ["provinceAnswersWithSmsSent"] = smsSentInAnswer.Value,
            ["storageMix"] = JsonSerializer.SerializeToNode(mix.ToDictionary(m => m.Key, m => Math.Round(m.Value, 2))),
            // The measured run also read the certificate and the recorded SMS back to see each lifecycle complete.
            ["verificationReadsPerLifecycle"] = Math.Round((double)verificationReads.Value / count, 2),
            ["allocatedBytesPerLifecycle"] = Math.Round((after["process"]["allocated"] - before["process"]["allocated"]) / count),
            ["peakWorkingSetBytes"] = after["process"]["peak"],
        };
    }

    private static async Task RunManyAsync(Api api, IReadOnlyList<Register.Holder> holders, string[] tokens, string city, string province,
        int first, int count, int concurrency, ConcurrentBag<double> certificateLag, ConcurrentBag<double> smsLag, StrongBox verificationReads, StrongBox smsSentInAnswer)
    {
        await Parallel.ForEachAsync(Enumerable.Range(first, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, _) =>
        {
            var holder = holders[i];
            var token = tokens[i];
            var phone = $"139{i:D8}";
            var created = await api.CallAsync("POST /api/applications", HttpMethod.Post, "/api/applications", token,
                new { kind = "change", certificateNumber = holder.Number, notificationPhone = phone, changes = new { holderName = "基准改名" } }, expected: 201);
            var id = created.GetProperty("id").GetString()!;
            await api.CallAsync("POST /submit", HttpMethod.Post, $"/api/applications/{id}/submit", token, SubmitBody);
            await api.CallAsync("POST /events/city-review", HttpMethod.Post, $"/api/applications/{id}/events/city-review", city, new { decision = "approve" });
            var approvedAt = Stopwatch.GetTimestamp();
            var approved = await api.CallAsync("POST /events/province-review", HttpMethod.Post, $"/api/applications/{id}/events/province-review", province, new { decision = "approve" });
            if (approved.GetProperty("sms").EnumerateArray().Any(m => m.GetProperty("template").GetString() == "changeApproved" && m.GetProperty("status").GetString() == "sent"))
                smsSentInAnswer.Increment();

            var waiting = Stopwatch.StartNew();
            while (true)
            {
                verificationReads.Increment();
                var certificate = await api.CallAsync("verify certificate", HttpMethod.Get, "/api/certificates/" + Uri.EscapeDataString(holder.Number), token);
                if (certificate.GetProperty("holderName").GetString() == "基准改名") break;
                if (waiting.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"{id}: certificate never changed");
                await Task.Delay(5);
            }
            certificateLag.Add(Stopwatch.GetElapsedTime(approvedAt).TotalMilliseconds);
            while (true)
            {
                verificationReads.Increment();
                var sms = await api.CallAsync("verify sms", HttpMethod.Get, $"/api/dev/sms?phone={phone}", token);
                if (sms.EnumerateArray().Any(m => m.GetProperty("applicationId").GetString() == id)) break;
                if (waiting.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"{id}: SMS never recorded");
                await Task.Delay(5);
            }
            smsLag.Add(Stopwatch.GetElapsedTime(approvedAt).TotalMilliseconds);
        });
    }

    /// <summary>Storage and process counters summed over every instance.</summary>
    public static async Task<Dictionary<string, Dictionary<string, double>>> DiagnosticsAsync(Api api)
    {
        var sum = new Dictionary<string, Dictionary<string, double>>
        {
            ["table"] = new() { ["reads"] = 0, ["writes"] = 0, ["queries"] = 0, ["batches"] = 0 }, ["queue"] = new() { ["reads"] = 0, ["writes"] = 0 },
            ["blob"] = new() { ["reads"] = 0, ["writes"] = 0 }, ["process"] = new() { ["allocated"] = 0, ["peak"] = 0 },
        };
        foreach (var d in await api.EachInstanceAsync("/api/dev/diagnostics"))
        {
            var s = d.GetProperty("storageRequests");
            foreach (var service in new[] { "table", "queue", "blob" })
            {
                sum[service]["reads"] += s.GetProperty(service).GetProperty("reads").GetInt64();
                sum[service]["writes"] += s.GetProperty(service).GetProperty("writes").GetInt64();
            }
            sum["table"]["batches"] += s.GetProperty("tableBatches").GetInt64();
            sum["table"]["queries"] += s.GetProperty("tableQueries").GetInt64();
            sum["process"]["allocated"] += d.GetProperty("allocatedBytes").GetInt64();
            sum["process"]["peak"] = Math.Max(sum["process"]["peak"], d.GetProperty("peakWorkingSetBytes").GetInt64());
        }
        // The Durable provider's share of the above (the development host counts its sidecar's requests in the app's counter too).
        sum["provider"] = new() { ["tableReads"] = 0, ["tableWrites"] = 0, ["queue"] = 0, ["blob"] = 0 };
        foreach (var p in await api.EachInstanceAsync("/admin/durable/storage-requests"))
        {
            sum["provider"]["tableReads"] += p.GetProperty("table").GetProperty("reads").GetInt64();
            sum["provider"]["tableWrites"] += p.GetProperty("table").GetProperty("writes").GetInt64();
            foreach (var service in new[] { "queue", "blob" })
                sum["provider"][service] += p.GetProperty(service).GetProperty("reads").GetInt64() + p.GetProperty(service).GetProperty("writes").GetInt64();
        }
        return sum;
    }

    /// <summary>The Durable provider's requests in <paramref name="d"/>.</summary>
    public static double ProviderTotal(Dictionary<string, Dictionary<string, double>> d) => d["provider"].Values.Sum();

    /// <summary>All storage requests so far, and the Durable provider's share of them.</summary>
    public static async Task<(double Total, double Provider)> StorageTotalAsync(Api api)
    {
        var d = await DiagnosticsAsync(api);
        return (new[] { "table", "queue", "blob" }.Sum(s => d[s]["reads"] + d[s]["writes"]), ProviderTotal(d));
    }

    public static JsonObject Percentiles(IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToArray();
        double At(double p) => sorted.Length == 0 ? 0 : Math.Round(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)], 2);
        return new JsonObject { ["count"] = sorted.Length, ["p50"] = At(0.50), ["p95"] = At(0.95), ["p99"] = At(0.99) };
    }

    public sealed class StrongBox
    {
        private long _value;
        public long Value => Interlocked.Read(ref _value);
        public void Increment() => Interlocked.Increment(ref _value);
    }
}
