using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Deadlines;
using FuncRegistry.Functions.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace FuncRegistry.Functions.Tests;

/// <summary>
/// The reviewers' workbench (ADR 0024): the queue's filters, each answered from one key range (or a
/// point lookup), its cursor, the search by ID number in the body, and the counts, which follow every
/// transition and stay right when a projection or a command is retried. Applications are filed through
/// the API where the test is about what a user does, and appended straight to the store (with the
/// events the decider would record) where it needs many, at chosen times. The clock starts on Monday
/// 23 November 2026 at 10:00 Beijing time.
/// </summary>
public sealed class ReviewWorkbenchTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 10, 0, 0, BeijingTime.Offset);
    private static int _sequence;

    /// <summary>An application appended to the store as the decider records it: filed, submitted at <paramref name="submittedAt"/>, then <paramref name="then"/>.</summary>
    private static async Task<string> SeedAsync(RegistryFactory app, ApplicationKind kind, string city, DateTimeOffset submittedAt, string name = "张三",
        bool atProvince = false, bool escalated = false)
    {
        var id = ApplicationIds.New(submittedAt, Interlocked.Increment(ref _sequence));
        var holder = TestData.IdNumber();
        var by = new ActorRef(Role.Applicant, holder, name);
        var details = kind switch
        {
            ApplicationKind.Change => new ApplicationDetails(TestData.Phone, Changes: new CertificateChange(HolderName: name + "新")),
            ApplicationKind.Reissue => new ApplicationDetails(TestData.Phone, ReissueReason: ReissueReason.Lost),
            _ => new ApplicationDetails(TestData.Phone, Reason: "本人已调离施工现场岗位"),
        };
        var validUntil = new DateOnly(2027, 6, 30);
        List<ApplicationEvent> events =
        [
            new ApplicationEvent.Created(id, kind, TestData.CertificateNumber(), city, holder, name, TestData.CreditCode(), validUntil, details, by, submittedAt.AddMinutes(-30)),
            new ApplicationEvent.Submitted(1, validUntil, by, submittedAt),
        ];
        if (atProvince) events.Add(new ApplicationEvent.CityReviewApproved(new ActorRef(Role.CityReviewer, "city-reviewer-1", "市州审核员", city), submittedAt.AddHours(1)));
        if (escalated) events.Add(new ApplicationEvent.StageEscalated(ReviewStage.City, submittedAt.AddDays(8), ActorRef.Of(Actor.System), submittedAt.AddDays(10)));
        Assert.NotNull(await app.Services.GetRequiredService<ApplicationStore>().TryAppendAsync(null, events, []));
        return id;
    }

    private static async Task<List<string>> IdsAsync(HttpClient reviewer, string query)
    {
        var page = await (await reviewer.GetAsync("/api/reviews/pending?limit=100" + query)).AssertOkAsync();
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next").ValueKind);
        return page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
    }

    /// <summary>The app's own table requests (the Durable provider's subtracted) a call makes: (queries, point reads).</summary>
    private static async Task<(T Result, long Queries, long PointReads)> CountedAsync<T>(RegistryFactory app, Func<Task<T>> call)
    {
        var all = app.Services.GetRequiredService<StorageRequestCounter>();
        var provider = app.Services.GetRequiredKeyedService<StorageRequestCounter>(FuncRegistry.DevHost.DurableSidecar.ProviderRequests);
        (long Queries, long Reads) Now() => (all.Snapshot().TableQueries - provider.Snapshot().TableQueries, all.Snapshot().Table.Reads - provider.Snapshot().Table.Reads);
        var before = Now();
        var result = await call();
        var after = Now();
        return (result, after.Queries - before.Queries, after.Reads - after.Queries - (before.Reads - before.Queries));
    }

    [Fact]
    public async Task Kind_city_and_submission_dates_filter_the_queue_each_from_one_key_range()
    {
        await using var app = new RegistryFactory(now: Monday.AddDays(3));
        var c1 = await SeedAsync(app, ApplicationKind.Change, "620100", Monday);
        var c2 = await SeedAsync(app, ApplicationKind.Reissue, "620102", Monday.AddDays(1)); // a county of 兰州市
        var c3 = await SeedAsync(app, ApplicationKind.Change, "620100", Monday.AddDays(2));
        var elsewhere = await SeedAsync(app, ApplicationKind.Change, "620200", Monday.AddDays(1));
        var p1 = await SeedAsync(app, ApplicationKind.Change, "620100", Monday, atProvince: true);
        var p2 = await SeedAsync(app, ApplicationKind.Reissue, "620200", Monday.AddDays(1), atProvince: true);
        var p3 = await SeedAsync(app, ApplicationKind.Change, "620200", Monday.AddDays(2), atProvince: true);
        var city = await app.CityReviewerAsync("620100");
        var province = await app.ProvinceReviewerAsync();

        (string Query, HttpClient Reviewer, string[] Expected)[] cases =
        [
            ("", city, [c1, c2, c3]),
            ("&kind=change", city, [c1, c3]),
            ("&kind=REISSUE", city, [c2]),
            ("&submittedFrom=2026-11-24", city, [c2, c3]),
            ("&submittedTo=2026-11-24", city, [c1, c2]),
            ("&kind=change&submittedFrom=2026-11-24&submittedTo=2026-11-25", city, [c3]),
            ("&city=620100", city, [c1, c2, c3]),
            ("", province, [p1, p2, p3]),
            ("&city=620200", province, [p2, p3]),
            ("&city=620200&kind=reissue", province, [p2]),
            ("&kind=change", province, [p1, p3]),
            ("&city=620200&submittedFrom=2026-11-25", province, [p3]),
        ];
        foreach (var (query, reviewer, expected) in cases)
        {
            var (ids, queries, pointReads) = await CountedAsync(app, () => IdsAsync(reviewer, query));
            Assert.True(expected.SequenceEqual(ids), $"{query}: expected {string.Join(",", expected)}, got {string.Join(",", ids)}");
            Assert.True((queries, pointReads) == (1, 0), $"{query}: {queries} queries and {pointReads} point reads");
        }
        Assert.Equal([elsewhere], await IdsAsync(await app.CityReviewerAsync("620200"), ""));
    }

    [Fact]
    public async Task Overdue_is_judged_at_the_clock_from_the_due_time_order_and_escalated_city_stages_show_to_the_city_and_the_province()
    {
        await using var app = new RegistryFactory(now: Monday.AddDays(6));
        // The city has 5 working days: submitted on Monday the 23rd, due at the end of Monday the 30th.
        var late = await SeedAsync(app, ApplicationKind.Change, "620100", Monday);
        var escalated = await SeedAsync(app, ApplicationKind.Reissue, "620100", Monday.AddHours(1), escalated: true);
        var onTime = await SeedAsync(app, ApplicationKind.Change, "620100", Monday.AddDays(3));
        var atProvince = await SeedAsync(app, ApplicationKind.Change, "620200", Monday.AddDays(6), atProvince: true);
        // On Sunday the 29th nothing is due yet.
        Assert.Empty(await IdsAsync(await app.CityReviewerAsync("620100"), "&overdue=true"));

        app.Clock.SetUtcNow(Monday.AddDays(8));
        var city = await app.CityReviewerAsync("620100");
        var province = await app.ProvinceReviewerAsync();

        (string Query, HttpClient Reviewer, string[] Expected)[] cases =
        [
            ("&overdue=true", city, [late, escalated]),
            ("&overdue=false", city, [onTime]),
            ("&overdue=true&kind=reissue", city, [escalated]),
            ("&escalated=true", city, [escalated]),
            ("&escalated=false", city, [late, onTime]),
            ("&escalated=true", province, [escalated]),
            ("&escalated=true&city=620200", province, []),
            ("&overdue=false", province, [atProvince]),
            ("&overdue=true", province, []),
        ];
        foreach (var (query, reviewer, expected) in cases)
        {
            var (ids, queries, pointReads) = await CountedAsync(app, () => IdsAsync(reviewer, query));
            Assert.True(expected.SequenceEqual(ids), $"{query}: expected {string.Join(",", expected)}, got {string.Join(",", ids)}");
            Assert.True((queries, pointReads) == (1, 0), $"{query}: {queries} queries and {pointReads} point reads");
        }
        var item = (await (await city.GetAsync("/api/reviews/pending?escalated=true")).AssertOkAsync()).GetProperty("items")[0];
        Assert.Equal((true, true, "620100"), (item.GetProperty("overdue").GetBoolean(), item.GetProperty("escalated").GetBoolean(), item.GetProperty("reviewCityCode").GetString()));

        var summary = await (await (await app.CityReviewerAsync("620100")).GetAsync("/api/reviews/summary")).AssertOkAsync();
        Assert.Equal((2, 1), (summary.GetProperty("overdue").GetInt32(), summary.GetProperty("escalated").GetInt32()));
        var provinceSummary = await (await (await app.ProvinceReviewerAsync()).GetAsync("/api/reviews/summary")).AssertOkAsync();
        Assert.Equal((0, 1), (provinceSummary.GetProperty("overdue").GetInt32(), provinceSummary.GetProperty("escalated").GetInt32()));
    }

    [Fact]
    public async Task Q_finds_an_application_by_its_id_by_a_certificate_number_in_any_spelling_and_by_the_start_of_a_name()
    {
        await using var app = new RegistryFactory();
        var wang = await NamedAsync(app, "王建国");
        var wang2 = await NamedAsync(app, "王建民");
        var uyghur = await NamedAsync(app, "阿依古丽·买买提");
        var wangId = await wang.SubmittedAsync();
        var wang2Id = await wang2.SubmittedAsync();
        var uyghurId = await uyghur.SubmittedAsync();
        var draft = await (await NamedAsync(app, "王建设")).CreateDraftAsync();
        var city = wang.CityReviewer;
        // Another spelling of the number: half-width parentheses, lower-case letters, a trailing full-width space.
        var spelled = wang2.CertificateNumber.Replace('（', '(').Replace('）', ')').ToLowerInvariant() + "\u3000";

        (string Q, string[] Expected, long Queries, long PointReads)[] cases =
        [
            (wangId.ToLowerInvariant(), [wangId], 1, 0),
            (draft, [], 1, 0),
            (spelled, [wang2Id], 1, 1),   // the certificate's claim names the application, then its rows
            ("王建", [wangId, wang2Id], 1, 0),
            ("王建国", [wangId], 1, 0),
            ("建国", [], 1, 0),
            ("买买提", [uyghurId], 1, 0),
            ("阿依古丽", [uyghurId], 1, 0),
        ];
        foreach (var (q, expected, queries, pointReads) in cases)
        {
            var (ids, counted, reads) = await CountedAsync(app, () => IdsAsync(city, "&q=" + Uri.EscapeDataString(q)));
            Assert.True(expected.SequenceEqual(ids), $"{q}: expected {string.Join(",", expected)}, got {string.Join(",", ids)}");
            Assert.True((counted, reads) == (queries, pointReads), $"{q}: {counted} queries and {reads} point reads");
        }
        // In the queue, not merely in the register: the province has nothing of them yet; another city nothing ever.
        Assert.Empty(await IdsAsync(wang.ProvinceReviewer, "&q=" + Uri.EscapeDataString("王建")));
        Assert.Empty(await IdsAsync(await app.CityReviewerAsync("620200"), "&q=" + wangId));
        Assert.Equal([wangId], await IdsAsync(city, "&kind=change&q=" + Uri.EscapeDataString("王建国")));
        Assert.Empty(await IdsAsync(city, "&kind=reissue&q=" + Uri.EscapeDataString("王建国")));
        var item = (await (await city.GetAsync("/api/reviews/pending?q=" + wangId)).AssertOkAsync()).GetProperty("items")[0];
        Assert.Equal(("王建国", "兰州市", "待市州审核"), (item.GetProperty("holderName").GetString(), item.GetProperty("cityName").GetString(), item.GetProperty("statusText").GetString()));
    }

    /// <summary>One certificate of a holder named <paramref name="name"/>, in 兰州市.</summary>
    private static async Task<Scenario> NamedAsync(RegistryFactory app, string name, string city = "620100")
    {
        var (holder, employer, number) = (TestData.IdNumber(), TestData.CreditCode(), TestData.CertificateNumber());
        await app.ImportAsync(TestData.Line(number, holder, employer, city, name: name));
        return new Scenario
        {
            App = app, CertificateNumber = number, HolderId = holder, EmployerCode = employer,
            Applicant = await app.ApplicantAsync(holder, name), CityReviewer = await app.CityReviewerAsync(city), ProvinceReviewer = await app.ProvinceReviewerAsync(),
        };
    }

    [Fact]
    public async Task A_filtered_queue_is_walked_page_by_page_and_a_cursor_of_another_query_is_refused()
    {
        await using var app = new RegistryFactory(now: Monday.AddDays(1));
        var changes = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            changes.Add(await SeedAsync(app, ApplicationKind.Change, "620100", Monday.AddMinutes(i)));
            await SeedAsync(app, ApplicationKind.Reissue, "620100", Monday.AddMinutes(i).AddSeconds(30));
        }
        var city = await app.CityReviewerAsync("620100");

        Assert.Equal(changes, await ReviewQueueTests.WalkAsync(city, limit: 2, "&kind=change"));
        var first = await (await city.GetAsync("/api/reviews/pending?limit=2&kind=change")).AssertOkAsync();
        var next = first.GetProperty("next").GetString()!;
        var foreign = await (await city.GetAsync("/api/reviews/pending?limit=2&kind=reissue&cursor=" + Uri.EscapeDataString(next))).AssertProblemAsync(400, "validation_failed");
        Assert.True(foreign.GetProperty("errors").TryGetProperty("cursor", out _));
        await (await city.GetAsync("/api/reviews/pending?cursor=%E7%94%98%E5%BB%BA")).AssertProblemAsync(400, "validation_failed");
        await (await city.GetAsync("/api/reviews/pending?cursor=bHxoYWNr")).AssertProblemAsync(400, "validation_failed"); // "l|hack": a key of no queue
    }

    [Fact]
    public async Task Bad_filter_values_are_refused_all_at_once_an_id_number_in_the_url_and_another_city_are_refused_too()
    {
        await using var app = new RegistryFactory();
        var city = await app.CityReviewerAsync("620100");
        var all = await (await city.GetAsync("/api/reviews/pending?kind=renewal&overdue=maybe&escalated=1&submittedFrom=2026/11/01&limit=0&city=110100"))
            .AssertProblemAsync(400, "validation_failed");
        Assert.Equal(["city", "escalated", "kind", "limit", "overdue", "submittedFrom"],
            all.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
        Assert.Contains("true 或 false", all.GetProperty("errors").GetProperty("overdue")[0].GetString());
        var dates = await (await city.GetAsync("/api/reviews/pending?submittedFrom=2026-11-24&submittedTo=2026-11-23")).AssertProblemAsync(400, "validation_failed");
        Assert.True(dates.GetProperty("errors").TryGetProperty("submittedTo", out _));
        await (await city.GetAsync("/api/reviews/pending?q=" + TestData.IdNumber())).AssertProblemAsync(400, "id_number_not_allowed_in_url");
        await (await city.GetAsync("/api/reviews/pending?q=" + Uri.EscapeDataString("王#"))).AssertProblemAsync(400, "validation_failed");
        await (await city.GetAsync("/api/reviews/pending?city=620200")).AssertProblemAsync(403, "city_not_in_scope");
        await (await city.GetAsync("/api/reviews/pending?city=620100")).AssertOkAsync();
        await (await (await app.ApplicantAsync(TestData.IdNumber())).GetAsync("/api/reviews/summary")).AssertProblemAsync(403, "not_a_reviewer");
    }

    [Fact]
    public async Task The_id_number_is_searched_in_the_body_within_the_callers_queue_and_never_read_from_a_url()
    {
        await using var app = new RegistryFactory();
        var holder = TestData.IdNumber();
        var (employer, first, second) = (TestData.CreditCode(), TestData.CertificateNumber(), TestData.CertificateNumber());
        await app.ImportAsync(TestData.Line(first, holder, employer, name: "赵红梅"), TestData.Line(second, holder, employer, name: "赵红梅"));
        HttpClient applicant = await app.ApplicantAsync(holder, "赵红梅"), cityReviewer = await app.CityReviewerAsync(), provinceReviewer = await app.ProvinceReviewerAsync();
        Scenario For(string number) => new()
        {
            App = app, CertificateNumber = number, HolderId = holder, EmployerCode = employer, Applicant = applicant,
            CityReviewer = cityReviewer, ProvinceReviewer = provinceReviewer,
        };
        var atCity = await For(first).SubmittedAsync();
        var atProvince = await For(second).SubmittedAsync();
        await (await For(second).CityAsync(atProvince, "approve")).AssertOkAsync();

        async Task<List<string>> SearchAsync(HttpClient reviewer, string idNumber)
        {
            var page = await (await reviewer.PostAsJsonAsync("/api/reviews/search", new { idNumber })).AssertOkAsync();
            Assert.Equal(JsonValueKind.Null, page.GetProperty("next").ValueKind);
            return page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
        }
        Assert.Equal([atCity], await SearchAsync(cityReviewer, holder));
        Assert.Equal([atCity], await SearchAsync(cityReviewer, holder.ToLowerInvariant()));
        Assert.Equal([atProvince], await SearchAsync(provinceReviewer, holder));
        Assert.Empty(await SearchAsync(await app.CityReviewerAsync("620200"), holder));
        Assert.Empty(await SearchAsync(cityReviewer, TestData.IdNumber()));
        var named = await (await cityReviewer.PostAsJsonAsync("/api/reviews/search", new { idNumber = holder })).Content.ReadAsStringAsync();
        Assert.Contains("赵红梅", named);

        await (await cityReviewer.PostAsJsonAsync("/api/reviews/search", new { idNumber = "620102199001011234" })).AssertProblemAsync(400, "validation_failed");
        await (await applicant.PostAsJsonAsync("/api/reviews/search", new { idNumber = holder })).AssertProblemAsync(403, "not_a_reviewer");
        // There is no URL form: not as a query of the search, not as the queue's q.
        var get = await cityReviewer.GetAsync("/api/reviews/search?idNumber=" + holder);
        Assert.True((int)get.StatusCode is 404 or 405, $"GET with the ID number in the URL answered {(int)get.StatusCode}");
        await (await cityReviewer.GetAsync("/api/reviews/pending?q=" + holder)).AssertProblemAsync(400, "id_number_not_allowed_in_url");
    }

    private static async Task<Dictionary<string, int>> CountsAsync(HttpClient reviewer, string? city = null)
    {
        var summary = await (await reviewer.GetAsync("/api/reviews/summary")).AssertOkAsync();
        var counts = city is null ? summary : summary.GetProperty("byCity").EnumerateArray().Single(c => c.GetProperty("cityCode").GetString() == city);
        var byStatus = counts.GetProperty("byStatus").EnumerateArray().ToDictionary(s => s.GetProperty("status").GetString()!, s => s.GetProperty("count").GetInt32());
        Assert.Equal(byStatus.Values.Sum(), counts.GetProperty("total").GetInt32());
        return byStatus.Where(p => p.Value != 0).ToDictionary();
    }

    [Fact]
    public async Task The_counts_follow_approvals_returns_and_withdrawals_for_the_city_and_the_province_and_a_retry_counts_nothing_twice()
    {
        await using var app = new RegistryFactory();
        var scenarios = new List<Scenario>();
        for (var i = 0; i < 4; i++) scenarios.Add(await Scenario.CreateAsync(app));
        var elsewhere = await Scenario.CreateAsync(app, city: "620200");
        var ids = new List<string>();
        foreach (var s in scenarios) ids.Add(await s.SubmittedAsync());
        var other = await elsewhere.SubmittedAsync();
        await (await scenarios[0].CityAsync(ids[0], "approve")).AssertOkAsync();
        await (await scenarios[1].CityAsync(ids[1], "return", "照片不清晰")).AssertOkAsync();
        await (await scenarios[2].Applicant.PostAsync($"/api/applications/{ids[2]}/withdraw", null)).AssertOkAsync();
        await (await Scenario.CreateAsync(app)).CreateDraftAsync(); // a draft counts nowhere

        var city = scenarios[0].CityReviewer;
        var province = scenarios[0].ProvinceReviewer;
        Dictionary<string, int> lanzhou = new() { ["pendingCityReview"] = 1, ["cityReturned"] = 1, ["pendingProvinceReview"] = 1, ["withdrawn"] = 1 };
        Assert.Equal(lanzhou, await CountsAsync(city));
        Assert.Equal(lanzhou, await CountsAsync(province, "620100"));
        Assert.Equal(new Dictionary<string, int> { ["pendingCityReview"] = 1 }, await CountsAsync(province, "620200"));
        Assert.Equal(new Dictionary<string, int> { ["pendingCityReview"] = 2, ["cityReturned"] = 1, ["pendingProvinceReview"] = 1, ["withdrawn"] = 1 },
            await CountsAsync(province));
        var summary = await (await province.GetAsync("/api/reviews/summary")).AssertOkAsync();
        Assert.Equal(14, summary.GetProperty("byCity").GetArrayLength()); // every city of the province, zeros included
        Assert.Equal(("province", "兰州市"), (summary.GetProperty("scope").GetString(), summary.GetProperty("byCity")[0].GetProperty("cityName").GetString()));
        Assert.Equal(JsonValueKind.Undefined, summary.TryGetProperty("cityCode", out var none) ? none.ValueKind : JsonValueKind.Undefined);

        // The province approves, the returned one comes back, the other city returns one, then withdraws it.
        await (await scenarios[0].ProvinceAsync(ids[0], "approve")).AssertOkAsync();
        await (await scenarios[1].Applicant.SubmitAsync(ids[1])).AssertOkAsync();
        await (await elsewhere.CityAsync(other, "return", "材料不全")).AssertOkAsync();
        // A decision sent again and a projection written again (as a retry of a dying instance does) count nothing twice.
        await (await elsewhere.CityAsync(other, "return", "材料不全")).AssertOkAsync();
        await (await scenarios[0].ProvinceAsync(ids[0], "approve")).AssertOkAsync();
        var store = app.Services.GetRequiredService<ApplicationStore>();
        foreach (var id in ids.Append(other))
            for (var retry = 0; retry < 2; retry++)
                Assert.NotNull(await store.TryAppendAsync(await store.LoadAsync(id), [], []));
        var admin = await app.AdminAsync();
        var rebuilt = await (await admin.PostAsync("/api/admin/indexes/rebuild", null)).AssertOkAsync();
        Assert.Equal((6, 0), (rebuilt.GetProperty("applications").GetInt32(), rebuilt.GetProperty("rebuilt").GetInt32()));

        lanzhou = new() { ["pendingCityReview"] = 2, ["approved"] = 1, ["withdrawn"] = 1 };
        Assert.Equal(lanzhou, await CountsAsync(city));
        Assert.Equal(lanzhou, await CountsAsync(province, "620100"));
        Assert.Equal(new Dictionary<string, int> { ["cityReturned"] = 1 }, await CountsAsync(province, "620200"));
        await (await elsewhere.Applicant.PostAsync($"/api/applications/{other}/withdraw", null)).AssertOkAsync();
        Assert.Equal(new Dictionary<string, int> { ["withdrawn"] = 1 }, await CountsAsync(await app.CityReviewerAsync("620200")));
        Assert.Equal(new Dictionary<string, int> { ["pendingCityReview"] = 2, ["approved"] = 1, ["withdrawn"] = 2 }, await CountsAsync(province));
    }

    [Fact]
    public async Task Counter_deltas_are_folded_by_the_readers_and_two_readers_folding_at_once_keep_the_counts()
    {
        await using var app = new RegistryFactory();
        var table = app.Services.GetRequiredService<StorageAccount>().Applications;
        var counters = app.Services.GetRequiredService<ReviewCounters>();
        async Task DeltasAsync(int count, string from, string to)
        {
            var rows = Enumerable.Range(0, count).SelectMany(i => ReviewCounters.DeltaRows(from, to, $"SQ20261123{Interlocked.Increment(ref _sequence):D6}", 2));
            foreach (var chunk in rows.Chunk(100))
                await table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)));
        }
        // 1,100 submitted in 兰州市, 30 of them approved since, 2 in 嘉峪关市: more deltas than one response holds.
        await DeltasAsync(1100, "", "620100|PendingCityReview");
        await DeltasAsync(30, "620100|PendingCityReview", "620100|Approved");
        await DeltasAsync(2, "", "620200|CityReturned");

        var both = await Task.WhenAll(counters.CountsAsync(null), counters.CountsAsync(null), counters.CountsAsync("620100"));
        foreach (var counts in both)
        {
            Assert.Equal((1070, 30), (counts["620100"][ApplicationStatus.PendingCityReview], counts["620100"][ApplicationStatus.Approved]));
            if (counts.ContainsKey("620200")) Assert.Equal(2, counts["620200"][ApplicationStatus.CityReturned]);
        }
        // Folded: what is left to read is the snapshots and fewer deltas than a reader folds.
        var left = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(RegistryRows.PrefixFilter("n|620100|"))) left++;
        Assert.InRange(left, 1, ReviewCounters.FoldAt);
        await DeltasAsync(3, "620100|PendingCityReview", "620100|Withdrawn");
        var again = await counters.CountsAsync("620100");
        Assert.Equal((1067, 30, 3), (again["620100"][ApplicationStatus.PendingCityReview], again["620100"][ApplicationStatus.Approved], again["620100"][ApplicationStatus.Withdrawn]));
    }

    [Fact]
    public async Task Applications_stored_before_the_workbench_rows_are_found_and_counted_once_after_the_rebuild()
    {
        await using var app = new RegistryFactory(now: Monday.AddDays(1));
        var id = await SeedAsync(app, ApplicationKind.Reissue, "620100", Monday, name: "钱学林");
        // As an earlier version wrote it: the queue row only, and a head that counts nothing.
        var table = app.Services.GetRequiredService<StorageAccount>().Applications;
        var head = (await table.GetEntityAsync<TableEntity>(RegistryRows.Partition, RegistryRows.OfApplication(id, "head"))).Value;
        var projected = head.GetString("Projected").Split('\n');
        foreach (var key in projected.Where(k => k.StartsWith("l|", StringComparison.Ordinal) && !k.StartsWith("l|queue-city-620100|", StringComparison.Ordinal)
            && (k.StartsWith("l|queue-", StringComparison.Ordinal) || k.StartsWith("l|name-", StringComparison.Ordinal) || k.StartsWith("l|due-", StringComparison.Ordinal))))
            await table.DeleteEntityAsync(RegistryRows.Partition, key);
        head.Remove("Counted");
        head["Projected"] = string.Join('\n', projected.Where(k => !k.StartsWith("l|queue-city-620100-", StringComparison.Ordinal)
            && !k.StartsWith("l|name-", StringComparison.Ordinal) && !k.StartsWith("l|due-", StringComparison.Ordinal)));
        await table.UpsertEntityAsync(head, TableUpdateMode.Replace);
        await foreach (var delta in table.QueryAsync<TableEntity>(RegistryRows.PrefixFilter("n|")))
            await table.DeleteEntityAsync(delta.PartitionKey, delta.RowKey);
        var city = await app.CityReviewerAsync("620100");
        Assert.Equal([id], await IdsAsync(city, ""));
        Assert.Empty(await IdsAsync(city, "&kind=reissue"));
        Assert.Empty(await CountsAsync(city));

        var admin = await app.AdminAsync();
        var rebuilt = await (await admin.PostAsync("/api/admin/indexes/rebuild", null)).AssertOkAsync();
        Assert.Equal((1, 1), (rebuilt.GetProperty("applications").GetInt32(), rebuilt.GetProperty("rebuilt").GetInt32()));
        rebuilt = await (await admin.PostAsync("/api/admin/indexes/rebuild", null)).AssertOkAsync();
        Assert.Equal(0, rebuilt.GetProperty("rebuilt").GetInt32());

        Assert.Equal([id], await IdsAsync(city, "&kind=reissue"));
        Assert.Equal([id], await IdsAsync(city, "&q=" + Uri.EscapeDataString("钱学")));
        Assert.Equal(new Dictionary<string, int> { ["pendingCityReview"] = 1 }, await CountsAsync(city));
    }

    [Fact]
    public async Task A_resubmission_shows_reviewers_the_field_before_and_after_and_the_replaced_scan_and_shows_the_applicant_nothing()
    {
        await using var app = new RegistryFactory();
        var s = await Scenario.CreateAsync(app);
        var id = await s.SubmittedAsync();
        await (await s.CityReviewer.PostAsJsonAsync($"/api/applications/{id}/events/city-review", new
        {
            decision = "return", reason = "新姓名与户籍证明不符，身份证正面不清晰",
            toFix = new { fields = new[] { "changes.holderName" }, documentTypes = new[] { "idCardFront", "signedForm" } },
        })).AssertOkAsync();
        Assert.False((await s.ApplicationAsync(id, s.CityReviewer)).TryGetProperty("changesSinceLastReturn", out _));

        await (await s.Applicant.PutAsJsonAsync($"/api/applications/{id}", new { notificationPhone = TestData.Phone, changes = new { holderName = "张五" } })).AssertOkAsync();
        var documents = await (await s.Applicant.GetAsync($"/api/applications/{id}/documents")).AssertOkAsync();
        var front = documents.GetProperty("items").EnumerateArray().Single(d => d.GetProperty("type").GetString() == "idCardFront").GetProperty("documentId").GetString();
        (await s.Applicant.DeleteAsync($"/api/applications/{id}/documents/{front}")).EnsureSuccessStatusCode();
        var replacement = (await (await s.UploadAsync(id, "idCardFront", fileName: "身份证正面-清晰.png")).AssertOkAsync(201)).GetProperty("documentId").GetString();
        await (await s.Applicant.SubmitAsync(id)).AssertOkAsync();

        var changes = (await s.ApplicationAsync(id, s.CityReviewer)).GetProperty("changesSinceLastReturn");
        Assert.Equal(("city", "市州退回", 1), (changes.GetProperty("stage").GetString(), changes.GetProperty("stageText").GetString(), changes.GetProperty("returnedRound").GetInt32()));
        var field = Assert.Single(changes.GetProperty("fields").EnumerateArray());
        Assert.Equal(("changes.holderName", "新姓名", "张四", "张五", true),
            (field.GetProperty("field").GetString(), field.GetProperty("label").GetString(), field.GetProperty("before").GetString(), field.GetProperty("after").GetString(),
                field.GetProperty("requested").GetBoolean()));
        var document = Assert.Single(changes.GetProperty("documents").EnumerateArray());
        Assert.Equal(("replaced", "idCardFront", front, replacement, true),
            (document.GetProperty("change").GetString(), document.GetProperty("type").GetString(), document.GetProperty("before").GetProperty("documentId").GetString(),
                document.GetProperty("after").GetProperty("documentId").GetString(), document.GetProperty("requested").GetBoolean()));
        // The signed form was asked for and left as it was.
        var left = changes.GetProperty("notChanged");
        Assert.Equal((0, "signedForm"), (left.GetProperty("fields").GetArrayLength(), Assert.Single(left.GetProperty("documentTypes").EnumerateArray()).GetProperty("code").GetString()));

        Assert.False((await s.ApplicationAsync(id)).TryGetProperty("changesSinceLastReturn", out _)); // the applicant knows what they changed
        var masked = (await s.ApplicationAsync(id, await app.AdminAsync())).GetProperty("changesSinceLastReturn").GetProperty("fields")[0];
        Assert.Equal(("张*", "张*"), (masked.GetProperty("before").GetString(), masked.GetProperty("after").GetString()));
    }
}
