using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FuncRegistry.Bench;

/// <summary>
/// Lifecycles whose decisions race (issue 13 item 10): at each review stage an approval, a return
/// and a duplicate of one of them are sent at once, in an order that turns with the lifecycle. The
/// Table's ETag lets exactly one commit; the others are refused or change nothing. A lifecycle ends
/// when the application is approved or returned. Then the orchestration must settle: its custom
/// status names the application's version, and it has Completed (approved) or waits for the
/// resubmission (returned). One that has not within <see cref="SettleWithin"/> of the last command's
/// answer is stuck. No documents are opened, so the application's version (its revision) is also the
/// orchestration's version.
/// </summary>
public static class Racing
{
    /// <summary>What a portal submits: the commitment of a change in force (what the applicant accepted).</summary>
    private static readonly object SubmitBody = new { commitmentVersion = FuncRegistry.Core.Applications.Commitments.Current(FuncRegistry.Core.Applications.ApplicationKind.Change).Version };

    public static readonly TimeSpan SettleWithin = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(500);

    public static async Task<JsonObject> RunAsync(Api api, string run, int first, int count, int concurrency)
    {
        var (csv, holders) = Register.Make(run, first, count);
        var admin = await api.TokenAsync(new { role = "admin", subject = "bench-admin", name = "基准管理员" });
        await api.CallAsync("import", HttpMethod.Post, "/api/admin/certificates/import", admin, rawBody: csv, contentType: "text/csv");
        var city = await api.TokenAsync(new { role = "city-reviewer", subject = "bench-city", name = "基准市州审核员", city = "620100" });
        var province = await api.TokenAsync(new { role = "province-reviewer", subject = "bench-province", name = "基准省级审核员" });

        var outcomes = new ConcurrentDictionary<string, int>();
        var settle = new ConcurrentBag<double>();
        var stuck = new ConcurrentBag<JsonObject>();
        var refused = new ConcurrentDictionary<int, int>();
        var smsNotSent = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, _) =>
        {
            var holder = holders[i];
            var token = await api.TokenAsync(new { role = "applicant", subject = holder.IdNumber, name = "测试" });
            var created = await api.CallAsync("create", HttpMethod.Post, "/api/applications", token,
                new { kind = "change", certificateNumber = holder.Number, notificationPhone = $"137{first + i:D8}", changes = new { holderName = "竞态改名" } }, expected: 201);
            var id = created.GetProperty("id").GetString()!;
            await api.CallAsync("submit", HttpMethod.Post, $"/api/applications/{id}/submit", token, SubmitBody);

            var application = await RaceAsync(api, id, "city-review", city, token, i, refused);
            if (application.GetProperty("status").GetString() == "pendingProvinceReview")
                application = await RaceAsync(api, id, "province-review", province, token, i, refused);
            var answered = Stopwatch.GetTimestamp();
            var status = application.GetProperty("status").GetString()!;
            var version = application.GetProperty("version").GetInt32();
            outcomes.AddOrUpdate(status, 1, (_, n) => n + 1);

            // Settled: the orchestration has handled this version and has Completed, or waits for the resubmission.
            while (true)
            {
                var (code, body) = await api.TryCallAsync("orchestration", HttpMethod.Get, $"/api/admin/orchestrations/{id}", admin);
                if (code == 200 && Settled(body, version)) { settle.Add(Stopwatch.GetElapsedTime(answered).TotalMilliseconds); break; }
                if (Stopwatch.GetElapsedTime(answered) > SettleWithin)
                {
                    stuck.Add(new JsonObject
                    {
                        ["id"] = id, ["status"] = status, ["version"] = version,
                        ["orchestration"] = code == 200 ? JsonNode.Parse(body.GetRawText()) : $"HTTP {code}",
                    });
                    break;
                }
                await Task.Delay(PollEvery);
            }

            // And the side effects it carried out: every SMS of the application sent.
            var final = await api.CallAsync("application", HttpMethod.Get, $"/api/applications/{id}", token);
            if (final.GetProperty("sms").EnumerateArray().Any(m => m.GetProperty("status").GetString() != "sent")) Interlocked.Increment(ref smsNotSent);
        });
        clock.Stop();

        var outcomeJson = new JsonObject();
        foreach (var (status, n) in outcomes.OrderBy(o => o.Key)) outcomeJson[status] = n;
        var refusedJson = new JsonObject();
        foreach (var (code, n) in refused.OrderBy(r => r.Key)) refusedJson[code.ToString()] = n;
        return new JsonObject
        {
            ["lifecycles"] = count, ["concurrency"] = concurrency, ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1),
            ["settleWithinSeconds"] = SettleWithin.TotalSeconds,
            ["outcomes"] = outcomeJson,
            // Answers to the racing decisions other than 200 (409: refused as the application had moved on).
            ["racingAnswersNot200"] = refusedJson,
            ["stuckInstances"] = stuck.Count,
            ["stuck"] = new JsonArray([.. stuck.Take(20)]),
            // Last command answered → the orchestration seen settled (polled every 0.5 s).
            ["lastCommandToSettledMs"] = Lifecycles.Percentiles(settle),
            ["applicationsWithSmsNotSent"] = smsNotSent,
        };
    }

    private static bool Settled(JsonElement orchestration, int version) =>
        orchestration.TryGetProperty("customStatus", out var custom) && custom.ValueKind == JsonValueKind.Object
        && custom.GetProperty("version").GetInt32() == version
        && (orchestration.GetProperty("runtimeStatus").GetString() == "Completed"
            || custom.TryGetProperty("awaiting", out var awaiting) && awaiting.ValueKind == JsonValueKind.String && awaiting.GetString() == "Resubmitted");

    /// <summary>
    /// An approval, a return and a duplicate of one of them, sent together, the order turning with
    /// <paramref name="i"/>; then the application as it stands.
    /// </summary>
    private static async Task<JsonElement> RaceAsync(Api api, string id, string stage, string reviewer, string applicantToken, int i,
        ConcurrentDictionary<int, int> refused)
    {
        object approve = new { decision = "approve" };
        object @return = new { decision = "return", reason = "材料不清晰，请补正后重新提交" };
        object[] decisions = (i % 4) switch
        {
            0 => [approve, @return, approve],
            1 => [@return, approve, @return],
            2 => [approve, approve, @return],
            _ => [@return, @return, approve],
        };
        var answers = await Task.WhenAll(decisions.Select(d => api.TryCallAsync(stage, HttpMethod.Post, $"/api/applications/{id}/events/{stage}", reviewer, d)));
        if (answers.All(a => a.Status != 200))
            throw new InvalidOperationException($"{id} {stage}: no decision was taken ({string.Join(", ", answers.Select(a => a.Status))})");
        foreach (var (status, _) in answers.Where(a => a.Status != 200)) refused.AddOrUpdate(status, 1, (_, n) => n + 1);
        return await api.CallAsync("application", HttpMethod.Get, $"/api/applications/{id}", applicantToken);
    }
}
