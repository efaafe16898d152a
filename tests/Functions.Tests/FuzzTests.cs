using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Xunit.Abstractions;

namespace FuncRegistry.Functions.Tests;

/// <summary>
/// Property-based fuzzing of every JSON endpoint (CsCheck): generated and mutated bodies, path
/// values, query strings and headers. Properties: never a 5xx; a 4xx writes nothing (the probe
/// application's version and the caller's list stay as they were). Each target owns its probe and
/// runs its samples in sequence, the targets side by side.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int SamplesPerTarget = 300;

    // ---- Generators -------------------------------------------------------------------------

    /// <summary>Strings a portal, a bot or an attacker might send.</summary>
    private static readonly Gen<string> Text = Gen.Frequency(
        (8, Gen.OneOf(
            "", " ", "null", "0", "-1", "1e309", "true", "change", "reissue", "cancellation", "extension", "approve", "return", "draft", "approved",
            "620100", "13912345678", "+8613912345678", "11010519491231002X", "11010519491231002x", "440524188001010014", "914403001922038216",
            "91350100M000100Y43", "SQ20261123000042", "甘建安C（2019）0012345", "豫建安B(2018)0001234", "甘建安c(2019)0012345", "lost", "damaged", "张三", "欧阳明远", "王*", "6201**********1234",
            "../../etc/passwd", "%00", "\0", "\u202e", "\ud800", "\udfff", "🙂", "<script>alert(1)</script>", "' OR ''='", "PartitionKey eq 'x'",
            "{\"$type\":\"x\"}", "\\u0000", "*", "#", "?", "/", "\\", "\r\n", "\t")),
        (6, Gen.String[0, 40]),
        (4, Gen.String[Gen.Char["0123456789X"], 0, 20]),
        (2, Gen.Int[100, 3_000].Select(n => new string('很', n))),
        (1, Gen.Int[20_000, 70_000].Select(n => new string('很', n))),
        (2, Gen.Char.Array[1, 8].Select(c => new string(c))));

    private static readonly Gen<JsonNode?> Scalar = Gen.Frequency(
        (6, Text.Select(s => (JsonNode?)JsonValue.Create(s))),
        (1, Gen.Const((JsonNode?)null)),
        (1, Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b))),
        (1, Gen.Long.Select(l => (JsonNode?)JsonValue.Create(l))),
        (1, Gen.Double.Where(double.IsFinite).Select(d => (JsonNode?)JsonValue.Create(d))));

    private static readonly string[] FieldNames =
    [
        "kind", "certificateNumber", "notificationPhone", "changes", "holderName", "holderIdNumber", "employer", "employerCode",
        "reissueReason", "reason", "decision", "status", "version", "round", "filedBy", "id", "role", "subject", "name", "city", "org",
        "Kind", "KIND", "__proto__", "$type", "",
    ];

    private static Gen<JsonNode?> Value(int depth) => depth == 0 ? Scalar : Gen.Frequency(
        (5, Scalar),
        (1, Value(depth - 1).Array[0, 4].Select(items => (JsonNode?)new JsonArray(items.Select(Clone).ToArray()))),
        (2, Object(depth - 1).Select(o => (JsonNode?)o)));

    private static Gen<JsonObject> Object(int depth) =>
        Gen.Select(Gen.OneOf(FieldNames).Array[0, 6], Value(depth).Array[6], (names, values) =>
        {
            var o = new JsonObject();
            for (var i = 0; i < names.Length; i++) o[names[i]] = Clone(values[i]);
            return o;
        });

    /// <summary>A valid body mutated: fields dropped, replaced by any value, added.</summary>
    private static Gen<string> Mutated(JsonObject valid) =>
        Gen.Select(Gen.Int[0, 3], Gen.OneOf(FieldNames).Array[1, 3], Value(2).Array[3], Gen.Bool, (mode, fields, values, drop) =>
        {
            var o = (JsonObject)valid.DeepClone();
            for (var i = 0; i < fields.Length; i++)
            {
                var field = mode == 0 && o.Count > 0 ? o.ElementAt(i % o.Count).Key : fields[i];
                if (drop && mode == 1) o.Remove(field);
                else o[field] = Clone(values[i]);
            }
            if (mode == 3 && o["changes"] is JsonObject changes) changes[fields[0]] = Clone(values[0]);
            return o.ToJsonString();
        });

    /// <summary>Bytes of a valid body cut, spliced or garbled.</summary>
    private static Gen<string> Garbled(string valid) =>
        Gen.Select(Gen.Int[0, valid.Length], Gen.Int[0, 3], Gen.Char.Array[0, 4], (at, how, chars) => how switch
        {
            0 => valid[..at],
            1 => valid[..at] + new string(chars) + valid[at..],
            2 => valid[..at] + valid[Math.Min(valid.Length, at + chars.Length + 1)..],
            _ => valid.Replace("\"", at % 2 == 0 ? "'" : ""),
        });

    private static Gen<string> Body(JsonObject valid) => Gen.Frequency(
        (4, Mutated(valid)),
        (2, Garbled(valid.ToJsonString())),
        (2, Object(3).Select(o => o.ToJsonString())),
        (1, Value(2).Select(v => v?.ToJsonString() ?? "null")),
        (1, Gen.Const(valid.ToJsonString())));

    /// <summary>Path values, escaped. No encoded NUL: Kestrel refuses it before the app (400), the in-process test server throws instead.</summary>
    private static readonly Gen<string> PathValue = Gen.Frequency(
        (3, Text.Select(t => Uri.EscapeDataString(t.Replace("\0", "")))),
        (1, Gen.OneOf("SQ20261123000000", "SQ2026112300000", "SQ20261123000000X", "e00001", "head", "%2F", "%2e%2e", "..", "%25")));

    /// <summary>Extra headers: content types, If-Match, Idempotency-Key, forged principals and tokens.</summary>
    private static readonly Gen<(string Name, string Value)[]> Headers = Gen.Select(
        Gen.OneOf("Content-Type", "If-Match", "Idempotency-Key", "X-MS-CLIENT-PRINCIPAL", "Authorization", "Accept", "X-Forwarded-For").Array[0, 3],
        Gen.Frequency((3, Text), (1, Gen.OneOf("application/json", "text/csv", "application/json; charset=utf-16", "multipart/form-data; boundary=x",
            "\"1\"", "W/\"999\"", "*", "Bearer x.y.z", "Basic YWRtaW46YWRtaW4=", "eyJjbGFpbXMiOltdfQ=="))).Array[3],
        (names, values) => names.Select((n, i) => (n, values[i])).ToArray());

    private static JsonNode? Clone(JsonNode? node) => node?.DeepClone();

    /// <summary>A value as a query string carries it: percent-encoded (UTF-8, a lone surrogate as U+FFFD), at most 2,000 characters.</summary>
    private static string QueryValue(string value)
    {
        var text = value.Length > 2_000 ? value[..2_000] : value;
        return string.Concat(Encoding.UTF8.GetBytes(text).Select(b => char.IsAsciiLetterOrDigit((char)b) ? ((char)b).ToString() : $"%{b:X2}"));
    }

    // ---- The properties ---------------------------------------------------------------------

    private sealed record Sample(string Method, string Path, string? Body, (string Name, string Value)[] Headers)
    {
        public override string ToString() => $"{Method} {Path} {Clip(Body)} [{string.Join("; ", Headers.Select(h => $"{h.Name}: {Clip(h.Value)}"))}]";
        private static string Clip(string? s) => s is null ? "" : s.Length > 200 ? s[..200] + $"…({s.Length})" : s;
    }

    /// <summary>One fuzzed endpoint: how to make samples, who sends them, and what must not change on a 4xx.</summary>
    private sealed class Target(string name, Gen<Sample> samples, HttpClient client, Func<Task<string>> observe, bool mayWrite = true)
    {
        public string Name => name;
        public int Sent;
        public Dictionary<int, int> Statuses { get; } = [];

        public async Task RunAsync(long iterations)
        {
            var seen = await observe();
            await samples.SampleAsync(async sample =>
            {
                var request = new HttpRequestMessage(new HttpMethod(sample.Method), sample.Path);
                if (sample.Body is not null) request.Content = new StringContent(sample.Body, Encoding.UTF8, "application/json");
                foreach (var (header, value) in sample.Headers)
                {
                    if (header == "Content-Type" && request.Content is not null)
                    {
                        if (MediaTypeHeaderValue.TryParse(value, out var type)) request.Content.Headers.ContentType = type;
                    }
                    else request.Headers.TryAddWithoutValidation(header, value);
                }
                var response = await client.SendAsync(request);
                var status = (int)response.StatusCode;
                lock (Statuses) { Statuses[status] = Statuses.GetValueOrDefault(status) + 1; Sent++; }
                if (status >= 500) throw new Exception($"{name}: {status} {await response.Content.ReadAsStringAsync()}");
                if (!mayWrite) return;
                var now = await observe();
                if (status >= 400 && now != seen) throw new Exception($"{name}: {status} changed {seen} → {now}: {await response.Content.ReadAsStringAsync()}");
                seen = now;
            }, iter: iterations, threads: 1, print: s => s.ToString());
            // Where no request can write (reads, unknown ids), one look at the end covers every sample.
            if (!mayWrite) Assert.Equal(seen, await observe());
        }
    }

    [Fact]
    public async Task Fuzzed_bodies_paths_and_headers_never_get_a_5xx_and_a_refusal_writes_nothing()
    {
        using var app = new RegistryFactory();
        var clock = Stopwatch.StartNew();

        // Probes, one per target: an applicant with a draft, or an application pending city review.
        async Task<(Scenario Scenario, string Id, Func<Task<string>> Observe)> ProbeAsync(bool submitted)
        {
            var scenario = await Scenario.CreateAsync(app);
            var id = submitted ? await scenario.SubmittedAsync() : await scenario.CreateDraftAsync();
            return (scenario, id, async () =>
            {
                var version = (await scenario.ApplicationAsync(id)).GetProperty("version").GetInt32();
                var list = await (await scenario.Applicant.GetAsync("/api/applications?pageSize=100")).AssertOkAsync();
                return $"v{version} n{list.GetProperty("items").GetArrayLength()}";
            });
        }
        var (s, draft, ofCreate) = await ProbeAsync(submitted: false);
        var (e, edited, ofEdit) = await ProbeAsync(submitted: false);
        var (c, _, ofCommands) = await ProbeAsync(submitted: false);
        var (q, _, ofReads) = await ProbeAsync(submitted: false);
        var (t, _, ofTokens) = await ProbeAsync(submitted: false);
        var (u, staged, ofUploads) = await ProbeAsync(submitted: false);
        var (r, pending, ofReview) = await ProbeAsync(submitted: true);
        var (l, linked, ofLink) = await ProbeAsync(submitted: true);
        var href = (await l.ApplicationAsync(linked, l.CityReviewer)).GetProperty("callbackLinks")[0].GetProperty("href").GetString()!;
        var token = href[(href.LastIndexOf('/') + 1)..];

        var create = JsonNode.Parse(JsonSerializer.Serialize(new
        {
            kind = "change", certificateNumber = s.CertificateNumber, notificationPhone = TestData.Phone, changes = new { holderName = "张四" },
        }))!.AsObject();
        var edit = JsonNode.Parse("""{"notificationPhone":"13912345678","changes":{"holderName":"张五"}}""")!.AsObject();
        var decision = JsonNode.Parse("""{"decision":"return","reason":"材料不全"}""")!.AsObject();
        var devToken = JsonNode.Parse("""{"role":"city-reviewer","subject":"x","name":"某人","city":"620100"}""")!.AsObject();
        var upload = JsonNode.Parse("""{"type":"idCardFront","fileName":"扫描件.png","size":1024}""")!.AsObject();
        var search = JsonNode.Parse($$"""{"holderIdNumber":"{{t.HolderId}}"}""")!.AsObject();

        var anonymous = app.CreateClient();
        var targets = new[]
        {
            // A valid create may succeed (a new draft, the list grows): only refusals must leave it alone.
            new Target("create", Gen.Select(Body(create), Headers, (b, h) => new Sample("POST", "/api/applications", b, h)), s.Applicant, ofCreate),
            new Target("edit", Gen.Select(Body(edit), Headers, (b, h) => new Sample("PUT", $"/api/applications/{edited}", b, h)), e.Applicant, ofEdit),
            new Target("commands", Gen.Select(Gen.OneOf("submit", "withdraw", "events/city-review", "events/province-review", "history/verify", "extend-deadline", "documents/uploads", "documents"),
                    PathValue, Gen.Frequency((1, Body(decision).Select(b => (string?)b)), (1, Gen.Const((string?)null))), Headers,
                    (action, id, b, h) => new Sample(action == "history/verify" ? "GET" : "POST", $"/api/applications/{id}/{action}", b, h)),
                c.Applicant, ofCommands, mayWrite: false),
            new Target("document uploads", Gen.Select(Body(upload), Headers, (b, h) => new Sample("POST", $"/api/applications/{staged}/documents/uploads", b, h)),
                u.Applicant, ofUploads),
            new Target("review", Gen.Select(Body(decision), Headers, (b, h) => new Sample("POST", $"/api/applications/{pending}/events/city-review", b, h)),
                r.CityReviewer, ofReview),
            new Target("review link", Gen.Select(Gen.Frequency((3, Gen.Const(token)), (1, Gen.Select(Gen.Int[0, token.Length - 1], Gen.Char["AZaz09-_."],
                    (at, c) => token[..at] + c + token[(at + 1)..])), (1, PathValue)), Body(decision), Headers,
                    (t, b, h) => new Sample("POST", $"/api/review-links/{t}", b, h)),
                anonymous, ofLink),
            new Target("reads", Gen.Select(Gen.OneOf("/api/applications/", "/api/certificates/", "/api/applications?continuationToken=", "/api/applications?status=",
                    "/api/applications?kind=", "/api/applications?pageSize=", "/api/reviews/pending?cursor=", "/api/certificates?holderIdNumber="),
                    PathValue, Headers, (prefix, v, h) => new Sample("GET", prefix + v, null, h)),
                q.Applicant, ofReads, mayWrite: false),
            // The reviewer's workbench: filters with any values, the ID search with any body (reads only).
            new Target("workbench", Gen.Select(Gen.OneOf("kind", "city", "overdue", "escalated", "submittedFrom", "submittedTo", "q", "cursor", "limit").Array[1, 4],
                    Gen.Frequency((3, Text), (1, PathValue), (1, Gen.OneOf("true", "change", "620200", "2026-11-23", "王", "SQ20261123000001"))).Array[4],
                    Body(JsonNode.Parse($$"""{"idNumber":"{{r.HolderId}}"}""")!.AsObject()), Gen.Bool, Headers,
                    (names, values, b, post, h) => post ? new Sample("POST", "/api/reviews/search", b, h)
                        : new Sample("GET", "/api/reviews/pending?" + string.Join("&", names.Select((n, i) => n + "=" + QueryValue(values[i]))), null, h)),
                // Its check is "never a 5xx": the application it could observe is the one the review target above may return.
                r.CityReviewer, () => Task.FromResult(""), mayWrite: false),
            new Target("tokens and search", Gen.Select(Gen.Bool, Body(devToken), Body(search), Headers,
                    (dev, a, b, h) => dev ? new Sample("POST", "/api/dev/tokens", a, h) : new Sample("POST", "/api/certificates/search", b, h)),
                t.Applicant, ofTokens, mayWrite: false),
        };
        await Task.WhenAll(targets.Select(target => target.RunAsync(SamplesPerTarget)));

        foreach (var target in targets)
            output.WriteLine($"{target.Name}: {target.Sent} requests, statuses {string.Join(" ", target.Statuses.OrderBy(p => p.Key).Select(p => $"{p.Key}×{p.Value}"))}");
        output.WriteLine($"{targets.Sum(target => target.Sent)} fuzzed requests in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(targets.Sum(target => target.Sent) >= targets.Length * SamplesPerTarget);
    }
}
