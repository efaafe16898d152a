using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Certificates;
using FuncRegistry.Functions.Enterprises;
using FuncRegistry.Functions.Storage;
using FuncRegistry.Functions.Workflow;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FuncRegistry.Functions.Tests;

/// <summary>An enterprise's record and roster (花名册): listing, filters, paging, search by ID, export, who sees what, and the roster following approvals.</summary>
public sealed class EnterpriseRosterTests : IClassFixture<EnterpriseRosterTests.App>
{
    public sealed class App : IDisposable
    {
        public RegistryFactory Factory { get; } = new();
        public void Dispose() => Factory.Dispose();
    }

    private static readonly string[] Names = ["王磊", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵敏", "黄磊", "周杰", "吴霞", "徐刚", "孙丽", "马超", "朱琳", "胡洋", "郭强"];
    private const string Header = "number,holderName,holderIdNumber,post,employer,employerCode,cityCode,issuedOn,validUntil";

    private readonly RegistryFactory _app;
    public EnterpriseRosterTests(App app) => _app = app.Factory;

    /// <summary>One certificate the roster should list.</summary>
    private sealed record Employee(string Number, string Name, string IdNumber, string Post = "施工员(土建施工)", string ValidUntil = "2028-06-30", string Standing = "")
    {
        public string Line(string uscc, string enterprise, string city) =>
            $"{Number},{Name},{IdNumber},{Post},{enterprise},{uscc},{city},2024-06-30,{ValidUntil}" + (Standing.Length > 0 ? $",{Standing},," : "");
    }

    private static List<Employee> Staff(int count) =>
        Enumerable.Range(0, count).Select(i => new Employee(TestData.CertificateNumber(), Names[i % Names.Length], TestData.IdNumber())).ToList();

    /// <summary>Imports the staff of an enterprise (with the standing columns when any line has a standing) and returns its USCC.</summary>
    private static async Task<string> EnterpriseAsync(RegistryFactory app, IReadOnlyList<Employee> staff, string name = "兰州华建建筑工程有限公司",
        string city = "620100", string? uscc = null)
    {
        uscc ??= TestData.CreditCode();
        var standing = staff.Any(e => e.Standing.Length > 0);
        var csv = (standing ? Header + ",status,employerChangedOn,replacedBy" : Header) + "\n"
            + string.Join("\n", staff.Select(e => standing && e.Standing.Length == 0 ? (e with { Standing = "valid" }).Line(uscc, name, city) : e.Line(uscc, name, city))) + "\n";
        var admin = await app.AdminAsync();
        var result = await (await admin.PostAsync("/api/admin/certificates/import", new StringContent(csv, Encoding.UTF8, "text/csv"))).AssertOkAsync();
        Assert.Equal(0, result.GetProperty("rejected").GetArrayLength());
        return uscc;
    }

    private static async Task<JsonElement> RosterAsync(HttpClient client, string uscc, string query = "") =>
        await (await client.GetAsync($"/api/enterprises/{uscc}/certificates{query}")).AssertOkAsync();

    private static List<string> NumbersOf(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("number").GetString()!).ToList();

    private static JsonElement Item(JsonElement page, string number) =>
        page.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("number").GetString() == number);

    [Fact]
    public async Task Roster_lists_the_certificates_an_enterprise_employs_after_import_with_names_masked_for_the_enterprise()
    {
        var staff = Staff(3);
        var uscc = await EnterpriseAsync(_app, staff);
        var other = await EnterpriseAsync(_app, Staff(1), name: "兰州恒通路桥建设有限公司");
        var enterprise = await _app.EnterpriseAsync(uscc);

        var record = await (await enterprise.GetAsync($"/api/enterprises/{uscc}")).AssertOkAsync();
        Assert.Equal(uscc, record.GetProperty("uscc").GetString());
        Assert.Equal("兰州华建建筑工程有限公司", record.GetProperty("name").GetString());
        Assert.Equal("620100", record.GetProperty("cityCode").GetString());
        Assert.Equal("兰州市", record.GetProperty("cityName").GetString());
        Assert.Equal(3, record.GetProperty("certificateCount").GetInt32());
        Assert.Equal(0, record.GetProperty("openApplications").GetInt32());

        var roster = await RosterAsync(enterprise, uscc.ToLowerInvariant()); // a USCC in lower case is the same USCC
        Assert.Equal(staff.Select(e => CertificateNumbers.Key(e.Number)).Order(StringComparer.Ordinal), NumbersOf(roster).Select(CertificateNumbers.Key));
        Assert.Equal(JsonValueKind.Null, roster.GetProperty("next").ValueKind);
        var first = Item(roster, staff[0].Number);
        Assert.Equal("王*", first.GetProperty("holderName").GetString());
        Assert.Equal("施工员", first.GetProperty("post").GetString());
        Assert.Equal("土建施工", first.GetProperty("specialty").GetString());
        Assert.Equal("valid", first.GetProperty("status").GetString());
        Assert.Equal("有效", first.GetProperty("statusText").GetString());
        Assert.Equal("2028-06-30", first.GetProperty("validUntil").GetString());
        Assert.False(first.TryGetProperty("openApplicationId", out _));
        Assert.DoesNotContain(staff[0].IdNumber, roster.GetRawText());
        Assert.Equal(1, (await (await (await _app.AdminAsync()).GetAsync($"/api/enterprises/{other}")).AssertOkAsync()).GetProperty("certificateCount").GetInt32());
    }

    [Fact]
    public async Task Filters_by_status_as_of_today_post_valid_until_and_text_in_any_spelling()
    {
        using var app = new RegistryFactory();
        var soon = new Employee(TestData.CertificateNumber(), "王磊", TestData.IdNumber(), "施工员(土建施工)", "2026-11-30");
        var safety = new Employee(TestData.CertificateNumber(), "李娜", TestData.IdNumber(), "安全员", "2028-03-31");
        var cancelled = new Employee(TestData.CertificateNumber(), "张伟", TestData.IdNumber(), "质量员(装饰装修)", "2029-06-30", "cancelled");
        var voided = new Employee(TestData.CertificateNumber(), "刘洋", TestData.IdNumber(), "资料员", "2027-01-15", "voided");
        var uscc = await EnterpriseAsync(app, [soon, safety, cancelled, voided]);
        var enterprise = await app.EnterpriseAsync(uscc);
        async Task<List<string>> Numbers(string query, HttpClient? client = null) => NumbersOf(await RosterAsync(client ?? enterprise, uscc, query));

        Assert.Equal(new[] { soon.Number, safety.Number }.Order(StringComparer.Ordinal), (await Numbers("?status=valid")).Order(StringComparer.Ordinal));
        Assert.Empty(await Numbers("?status=expired"));
        app.Clock.Advance(TimeSpan.FromDays(10)); // 2026-12-03 in Beijing: valid until 2026-11-30 has expired
        enterprise = await app.EnterpriseAsync(uscc); // (a token lives less than ten days)
        var reviewer = await app.CityReviewerAsync("620100");
        Assert.Equal([soon.Number], await Numbers("?status=expired"));
        Assert.Equal("已过期", Item(await RosterAsync(enterprise, uscc, "?status=EXPIRED"), soon.Number).GetProperty("statusText").GetString());
        Assert.Equal([safety.Number], await Numbers("?status=valid"));
        Assert.Equal([cancelled.Number], await Numbers("?status=cancelled"));
        Assert.Equal([voided.Number], await Numbers("?status=voided"));

        Assert.Equal([soon.Number], await Numbers("?post=施工员"));
        Assert.Equal([soon.Number], await Numbers("?post=" + Uri.EscapeDataString("施工员（土建施工）")));
        Assert.Empty(await Numbers("?post=" + Uri.EscapeDataString("施工员(市政工程)")));
        Assert.Equal([safety.Number], await Numbers("?post=安全员&status=valid"));
        Assert.Equal(new[] { soon.Number, voided.Number }.Order(StringComparer.Ordinal), (await Numbers("?validUntilBefore=2027-06-30")).Order(StringComparer.Ordinal));

        // A number in another spelling (half-width parentheses, lower case) or in part; a name whole, or in part for who sees names.
        var otherSpelling = safety.Number.Replace('（', '(').Replace('）', ')').Replace("甘建安A", "甘建安a").Replace("甘建安B", "甘建安b").Replace("甘建安C", "甘建安c");
        Assert.Equal([safety.Number], await Numbers("?q=" + Uri.EscapeDataString(otherSpelling)));
        Assert.Equal([cancelled.Number], await Numbers("?q=" + Uri.EscapeDataString(cancelled.Number[^7..])));
        Assert.Equal([soon.Number], await Numbers("?q=" + Uri.EscapeDataString("王磊")));
        Assert.Empty(await Numbers("?q=" + Uri.EscapeDataString("磊"))); // the enterprise sees 王*: no guessing names a character at a time
        Assert.Equal([soon.Number], await Numbers("?q=" + Uri.EscapeDataString("磊"), reviewer));

        var bad = await (await enterprise.GetAsync($"/api/enterprises/{uscc}/certificates?status=lost&post=经理&validUntilBefore=2027/06/30&limit=0&cursor=bm90LWEtY3Vyc29y"))
            .AssertProblemAsync(400, "validation_failed");
        Assert.Equal(["cursor", "limit", "post", "status", "validUntilBefore"], bad.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());
        await (await enterprise.GetAsync("/api/enterprises/91620100MA0000000/certificates")).AssertProblemAsync(400, "invalid_uscc");
        await (await enterprise.GetAsync("/api/enterprises/91620100MA00000OOO")).AssertProblemAsync(400, "invalid_uscc");
    }

    [Fact]
    public async Task Cursor_paging_returns_every_line_exactly_once_and_the_last_page_says_it_is_the_last()
    {
        var staff = Staff(25);
        var uscc = await EnterpriseAsync(_app, staff);
        var reviewer = await _app.ProvinceReviewerAsync();
        var seen = new List<string>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var page = await RosterAsync(reviewer, uscc, "?limit=7" + (cursor is null ? "" : "&cursor=" + cursor));
            seen.AddRange(NumbersOf(page));
            cursor = page.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
            pages++;
        } while (cursor is not null && pages < 10);
        Assert.Equal(4, pages);
        Assert.Equal(staff.Select(e => e.Number).Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        Assert.Equal(seen.Count, seen.Distinct().Count());

        // Paging through a text search: 5 of 王磊/李娜… share a name; two at a time.
        var wang = staff.Where(e => e.Name == "王磊").Select(e => e.Number).ToList();
        var found = new List<string>();
        cursor = null;
        do
        {
            var page = await RosterAsync(reviewer, uscc, "?limit=1&q=" + Uri.EscapeDataString("王磊") + (cursor is null ? "" : "&cursor=" + cursor));
            found.AddRange(NumbersOf(page));
            cursor = page.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        } while (cursor is not null);
        Assert.Equal(wang.Order(StringComparer.Ordinal), found.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Search_by_the_holders_id_number_in_the_body_finds_their_certificates_at_this_enterprise_only()
    {
        var holder = TestData.IdNumber();
        var staff = Staff(4);
        staff[1] = staff[1] with { IdNumber = holder, Name = "赵敏" };
        staff[3] = staff[3] with { IdNumber = holder, Name = "赵敏", Post = "安全员" };
        var uscc = await EnterpriseAsync(_app, staff);
        var elsewhere = new Employee(TestData.CertificateNumber(), "赵敏", holder);
        await EnterpriseAsync(_app, [elsewhere], name: "白银鑫安建工集团有限公司", city: "620400");
        var enterprise = await _app.EnterpriseAsync(uscc);

        var found = await (await enterprise.PostAsJsonAsync($"/api/enterprises/{uscc}/certificates/search", new { idNumber = holder })).AssertOkAsync();
        Assert.Equal(new[] { staff[1].Number, staff[3].Number }.Order(StringComparer.Ordinal), NumbersOf(found).Order(StringComparer.Ordinal));
        Assert.All(found.GetProperty("items").EnumerateArray(), i => Assert.Equal("赵*", i.GetProperty("holderName").GetString()));
        var none = await (await enterprise.PostAsJsonAsync($"/api/enterprises/{uscc}/certificates/search", new { idNumber = TestData.IdNumber() })).AssertOkAsync();
        Assert.Empty(NumbersOf(none));
        var bad = await (await enterprise.PostAsJsonAsync($"/api/enterprises/{uscc}/certificates/search", new { idNumber = "620102199001011234" }))
            .AssertProblemAsync(400, "validation_failed");
        Assert.True(bad.GetProperty("errors").TryGetProperty("idNumber", out _));
        await (await enterprise.PostAsJsonAsync($"/api/enterprises/{uscc}/certificates/search", new { holderIdNumber = holder })).AssertProblemAsync(400, "validation_failed");
    }

    [Fact]
    public async Task Csv_export_is_every_matching_line_as_utf8_with_a_bom_and_a_chinese_header_as_an_attachment()
    {
        var staff = Staff(25);
        var uscc = await EnterpriseAsync(_app, staff);
        var enterprise = await _app.EnterpriseAsync(uscc);
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/enterprises/{uscc}/certificates?limit=5");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var response = await enterprise.SendAsync(request);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.EndsWith(".csv", response.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Contains(uscc, response.Content.Headers.ContentDisposition?.FileNameStar);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("证书编号,姓名,岗位,状态,有效期至,在办申请编号", lines[0]);
        Assert.Equal(26, lines.Length); // every line, the limit ignored
        Assert.Equal(staff.Select(e => e.Number).Order(StringComparer.Ordinal), lines[1..].Select(l => l.Split(',')[0]).Order(StringComparer.Ordinal));
        var first = lines.Single(l => l.StartsWith(staff[0].Number + ","));
        Assert.Equal($"{staff[0].Number},王*,施工员(土建施工),有效,2028-06-30,", first);
        Assert.DoesNotContain(lines, l => Names.Any(n => l.Contains(n)));

        // Filters apply to the export too.
        var filtered = new HttpRequestMessage(HttpMethod.Get, $"/api/enterprises/{uscc}/certificates?q=" + Uri.EscapeDataString("李娜"));
        filtered.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var text = Encoding.UTF8.GetString((await (await enterprise.SendAsync(filtered)).Content.ReadAsByteArrayAsync())[3..]);
        Assert.Equal(1 + staff.Count(e => e.Name == "李娜"), text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Csv_cells_are_quoted_when_they_must_be_and_never_start_a_formula()
    {
        Assert.Equal("王磊", RosterCsv.Field("王磊"));
        Assert.Equal("\"欧阳,明\"", RosterCsv.Field("欧阳,明"));
        Assert.Equal("\"他说\"\"好\"\"\"", RosterCsv.Field("他说\"好\""));
        Assert.Equal("'=HYPERLINK(\"x\")", RosterCsv.Field("=HYPERLINK(\"x\")").Trim('"').Replace("\"\"", "\""));
        Assert.Equal("'@SUM(A1)", RosterCsv.Field("@SUM(A1)"));
    }

    [Fact]
    public async Task Only_the_enterprise_its_citys_reviewers_the_province_and_admins_see_the_roster_and_only_reviewers_see_names()
    {
        var staff = Staff(2);
        var uscc = await EnterpriseAsync(_app, staff);
        async Task<HttpResponseMessage> Get(HttpClient client) => await client.GetAsync($"/api/enterprises/{uscc}/certificates");

        await (await Get(await _app.EnterpriseAsync(TestData.CreditCode()))).AssertProblemAsync(404, "enterprise_not_found");
        await (await Get(await _app.CityReviewerAsync("620200", "jyg-reviewer"))).AssertProblemAsync(404, "enterprise_not_found");
        await (await Get(await _app.ApplicantAsync(staff[0].IdNumber, staff[0].Name))).AssertProblemAsync(404, "enterprise_not_found");
        await (await (await _app.EnterpriseAsync(TestData.CreditCode())).GetAsync($"/api/enterprises/{uscc}")).AssertProblemAsync(404, "enterprise_not_found");
        await (await (await _app.EnterpriseAsync(TestData.CreditCode())).PostAsJsonAsync($"/api/enterprises/{uscc}/certificates/search", new { idNumber = staff[0].IdNumber }))
            .AssertProblemAsync(404, "enterprise_not_found");
        // A USCC nobody registered answers exactly as one the caller may not see.
        await (await (await _app.AdminAsync()).GetAsync($"/api/enterprises/{TestData.CreditCode()}")).AssertProblemAsync(404, "enterprise_not_found");

        Assert.Equal(staff[0].Name, Item(await (await Get(await _app.CityReviewerAsync("620100"))).AssertOkAsync(), staff[0].Number).GetProperty("holderName").GetString());
        Assert.Equal(staff[0].Name, Item(await (await Get(await _app.CityReviewerAsync("620102", "chengguan-reviewer"))).AssertOkAsync(), staff[0].Number).GetProperty("holderName").GetString());
        Assert.Equal(staff[0].Name, Item(await (await Get(await _app.ProvinceReviewerAsync())).AssertOkAsync(), staff[0].Number).GetProperty("holderName").GetString());
        Assert.Equal("王*", Item(await (await Get(await _app.AdminAsync())).AssertOkAsync(), staff[0].Number).GetProperty("holderName").GetString());
        Assert.Equal("王*", Item(await (await Get(await _app.EnterpriseAsync(uscc))).AssertOkAsync(), staff[0].Number).GetProperty("holderName").GetString());
    }

    [Fact]
    public async Task An_approved_employer_change_moves_the_certificate_to_the_new_employers_roster_and_makes_the_new_employer_known()
    {
        var s = await Scenario.CreateAsync(_app);
        var newEmployer = TestData.CreditCode();
        var province = await _app.ProvinceReviewerAsync();
        Assert.Contains(s.CertificateNumber, NumbersOf(await RosterAsync(province, s.EmployerCode)));
        await (await province.GetAsync($"/api/enterprises/{newEmployer}")).AssertProblemAsync(404, "enterprise_not_found");

        var id = await s.SubmittedAsync(new
        {
            kind = "change", certificateNumber = s.CertificateNumber, notificationPhone = TestData.Phone,
            changes = new { employer = "兰州新程建设工程有限公司", employerCode = newEmployer },
        });
        await (await s.CityAsync(id, "approve")).AssertOkAsync();
        await (await s.ProvinceAsync(id, "approve")).AssertOkAsync();

        Assert.DoesNotContain(s.CertificateNumber, NumbersOf(await RosterAsync(province, s.EmployerCode)));
        var receiving = await _app.EnterpriseAsync(newEmployer);
        Assert.Equal([s.CertificateNumber], NumbersOf(await RosterAsync(receiving, newEmployer)));
        var record = await (await receiving.GetAsync($"/api/enterprises/{newEmployer}")).AssertOkAsync();
        Assert.Equal("兰州新程建设工程有限公司", record.GetProperty("name").GetString());
        Assert.Equal("兰州市", record.GetProperty("cityName").GetString());
        Assert.Equal(1, record.GetProperty("certificateCount").GetInt32());
    }

    [Fact]
    public async Task A_reissue_shows_the_old_certificate_voided_and_the_new_one_valid()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.SubmittedAsync(new { kind = "reissue", certificateNumber = s.CertificateNumber, notificationPhone = TestData.Phone, reissueReason = "lost" });
        await (await s.CityAsync(id, "approve")).AssertOkAsync();
        await (await s.ProvinceAsync(id, "approve")).AssertOkAsync();
        var newNumber = (await s.CertificateAsync()).GetProperty("replacedBy").GetString()!;

        var roster = await RosterAsync(await _app.EnterpriseAsync(s.EmployerCode), s.EmployerCode);
        Assert.Equal("voided", Item(roster, s.CertificateNumber).GetProperty("status").GetString());
        Assert.Equal("valid", Item(roster, newNumber).GetProperty("status").GetString());
        Assert.Equal([newNumber], NumbersOf(await RosterAsync(await _app.EnterpriseAsync(s.EmployerCode), s.EmployerCode, "?status=valid")));
    }

    [Fact]
    public async Task A_certificate_with_a_submitted_application_shows_it_and_the_enterprise_counts_it_open()
    {
        var s = await Scenario.CreateAsync(_app);
        var enterprise = await _app.EnterpriseAsync(s.EmployerCode);
        var draft = await s.CreateDraftAsync();
        Assert.Equal(0, (await (await enterprise.GetAsync($"/api/enterprises/{s.EmployerCode}")).AssertOkAsync()).GetProperty("openApplications").GetInt32());
        Assert.False(Item(await RosterAsync(enterprise, s.EmployerCode), s.CertificateNumber).TryGetProperty("openApplicationId", out _));

        await (await s.Applicant.SubmitAsync(draft)).AssertOkAsync();
        Assert.Equal(1, (await (await enterprise.GetAsync($"/api/enterprises/{s.EmployerCode}")).AssertOkAsync()).GetProperty("openApplications").GetInt32());
        Assert.Equal(draft, Item(await RosterAsync(enterprise, s.EmployerCode), s.CertificateNumber).GetProperty("openApplicationId").GetString());

        await (await s.Applicant.PostAsync($"/api/applications/{draft}/withdraw", null)).AssertOkAsync();
        Assert.Equal(0, (await (await enterprise.GetAsync($"/api/enterprises/{s.EmployerCode}")).AssertOkAsync()).GetProperty("openApplications").GetInt32());
    }

    [Fact]
    public async Task An_admin_registers_an_enterprise_without_certificates_and_corrects_one_and_an_import_keeps_the_correction()
    {
        var admin = await _app.AdminAsync();
        var fresh = TestData.CreditCode();
        var created = await (await admin.PutAsJsonAsync($"/api/admin/enterprises/{fresh}", new { name = "天水新程建设工程有限公司", cityCode = "620502" })).AssertOkAsync();
        Assert.Equal("620500", created.GetProperty("cityCode").GetString()); // a county's code is stored as its city's
        Assert.Equal("天水市", created.GetProperty("cityName").GetString());
        Assert.Equal(0, created.GetProperty("certificateCount").GetInt32());
        var own = await (await (await _app.EnterpriseAsync(fresh)).GetAsync($"/api/enterprises/{fresh}")).AssertOkAsync();
        Assert.Equal("天水新程建设工程有限公司", own.GetProperty("name").GetString());
        Assert.Empty(NumbersOf(await RosterAsync(await _app.CityReviewerAsync("620500", "ts-reviewer"), fresh)));

        var uscc = await EnterpriseAsync(_app, Staff(1), name: "兰州华建建筑工程有限公司");
        await (await admin.PutAsJsonAsync($"/api/admin/enterprises/{uscc}", new { name = "兰州华建建筑工程集团有限公司", cityCode = "620100" })).AssertOkAsync();
        await EnterpriseAsync(_app, Staff(1), name: "兰州华建建筑工程有限公司", uscc: uscc);
        var corrected = await (await admin.GetAsync($"/api/enterprises/{uscc}")).AssertOkAsync();
        Assert.Equal("兰州华建建筑工程集团有限公司", corrected.GetProperty("name").GetString());
        Assert.Equal(2, corrected.GetProperty("certificateCount").GetInt32());

        var bad = await (await admin.PutAsJsonAsync($"/api/admin/enterprises/{fresh}", new { name = "", cityCode = "110100" })).AssertProblemAsync(400, "validation_failed");
        Assert.Equal(["cityCode", "name"], bad.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());
        await (await admin.PutAsJsonAsync("/api/admin/enterprises/not-a-uscc", new { name = "某公司", cityCode = "620100" })).AssertProblemAsync(400, "invalid_uscc");
        await (await (await _app.EnterpriseAsync(fresh)).PutAsJsonAsync($"/api/admin/enterprises/{fresh}", new { name = "改名", cityCode = "620100" }))
            .AssertProblemAsync(403, "admin_only");
        Assert.Equal("天水新程建设工程有限公司", (await (await admin.GetAsync($"/api/enterprises/{fresh}")).AssertOkAsync()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task An_employer_the_import_meets_first_is_recorded_from_the_first_line_naming_it()
    {
        var uscc = TestData.CreditCode();
        var lines = Enumerable.Range(0, 30).Select(i => new Employee(TestData.CertificateNumber(), Names[i % Names.Length], TestData.IdNumber())
            .Line(uscc, i == 0 ? "定西宏宇建工集团有限公司" : "定西宏宇建工集团", i == 0 ? "621100" : "620100")).ToArray();
        await _app.ImportAsync(lines);
        var record = await (await (await _app.AdminAsync()).GetAsync($"/api/enterprises/{uscc}")).AssertOkAsync();
        Assert.Equal("定西宏宇建工集团有限公司", record.GetProperty("name").GetString());
        Assert.Equal("定西市", record.GetProperty("cityName").GetString());
        Assert.Equal(30, record.GetProperty("certificateCount").GetInt32());
    }

    [Fact]
    public async Task An_approval_carried_out_again_after_its_certificate_write_still_brings_the_rosters_up_to_date()
    {
        var prefix = RegistryFactory.NewPrefix();
        using var first = new RegistryFactory(prefix);
        var s = await Scenario.CreateAsync(first);
        var newEmployer = TestData.CreditCode();
        var id = await s.SubmittedAsync(new
        {
            kind = "change", certificateNumber = s.CertificateNumber, notificationPhone = TestData.Phone,
            changes = new { employer = "兰州新程建设工程有限公司", employerCode = newEmployer },
        });
        await (await s.CityAsync(id, "approve")).AssertOkAsync();
        using (var dying = new RegistryFactory(prefix, services: DyingDispatcher.Register))
        {
            dying.Services.GetRequiredService<ReviewOrchestrations>().Client = new UnreachableDurableClient();
            await (await s.ProvinceAsync(id, "approve", reviewer: await dying.ProvinceReviewerAsync())).AssertOkAsync();
        }
        // The first attempt wrote the certificate and died before the rosters: what the dispatcher does, up to the index.
        var certificates = first.Services.GetRequiredService<CertificateStore>();
        var found = (await certificates.GetWithClaimAsync(s.CertificateNumber))!.Value;
        var effect = new SideEffect.ApplyToCertificate(id, s.CertificateNumber, ApplicationKind.Change,
            new CertificateChange(Employer: "兰州新程建设工程有限公司", EmployerCode: newEmployer), null, null, new DateOnly(2026, 11, 23));
        var applied = CertificateEffects.Apply(found.Certificate, effect, new DateOnly(2026, 11, 23))!.Value;
        Assert.True(await certificates.TryApplyAsync(s.CertificateNumber, applied.Updated, found.ETag, found.Claim, id));
        var province = await first.ProvinceReviewerAsync();
        Assert.Contains(s.CertificateNumber, NumbersOf(await RosterAsync(province, s.EmployerCode)));
        await (await province.GetAsync($"/api/enterprises/{newEmployer}")).AssertProblemAsync(404, "enterprise_not_found");

        // The retry finds the certificate written (the effect applies as nothing) and still moves the roster line.
        using var restarted = new RegistryFactory(prefix);
        restarted.Clock.Advance(restarted.Services.GetRequiredService<IOptions<Outbox.OutboxOptions>>().Value.SafetyNetDelay);
        Assert.Equal(1, (await restarted.SweepAsync()).Due);
        var reviewer = await restarted.ProvinceReviewerAsync();
        Assert.DoesNotContain(s.CertificateNumber, NumbersOf(await RosterAsync(reviewer, s.EmployerCode)));
        Assert.Equal([s.CertificateNumber], NumbersOf(await RosterAsync(reviewer, newEmployer)));
        Assert.Single((await s.CertificateAsync()).GetProperty("endorsements").EnumerateArray(), e => e.GetProperty("applicationId").GetString() == id);
    }

    [Fact]
    public async Task The_certificate_numbers_of_an_employer_with_ten_thousand_certificates_are_read_as_key_ranges_every_one_once()
    {
        var store = _app.Services.GetRequiredService<EnterpriseStore>();
        var uscc = TestData.CreditCode();
        var certificates = Enumerable.Range(0, 10_000).Select(i => new Certificate
        {
            Number = $"甘建安C（2025）{i + 3_000_000:D7}", HolderName = Names[i % Names.Length], HolderIdNumber = TestData.IdNumber(), Post = "安全员",
            Employer = "兰州万人建设集团有限公司", EmployerCode = uscc, CityCode = "620100", IssuedOn = new DateOnly(2025, 1, 1), ValidUntil = new DateOnly(2031, 1, 1),
        }).ToList();
        await store.IndexAsync(certificates, parallelism: 12);
        var numbers = new List<string>();
        await foreach (var number in store.CertificateNumbersOfAsync(uscc)) numbers.Add(number);
        Assert.Equal(certificates.Select(c => c.Number).Order(StringComparer.Ordinal), numbers.Order(StringComparer.Ordinal));
        Assert.Equal(10_000, await store.CountAsync(uscc));
    }

    [Fact]
    public void An_enterprises_rows_are_one_partition_and_a_cursor_belongs_to_one_roster()
    {
        const string uscc = "91620100TH2HUCCP5Y";
        Assert.Equal(EnterpriseRows.Partition(uscc), EnterpriseRows.Partition(uscc.ToLowerInvariant()));
        Assert.Matches("^e[0-6][0-9]$", EnterpriseRows.Partition(uscc));
        Assert.Equal($"e{CertificateRows.Bucket(uscc):D2}", EnterpriseRows.Partition(uscc));
        var row = EnterpriseRows.OfRosterLine(uscc, CertificateNumbers.Key("甘建安C（2025）0100001"));
        Assert.Equal("91620100TH2HUCCP5Y|c|甘建安C(2025)0100001", row);
        var cursor = EnterpriseRows.Cursor(row);
        Assert.DoesNotContain('+', cursor);
        Assert.DoesNotContain('/', cursor);
        Assert.Equal(row, EnterpriseRows.RowKeyOfCursor(uscc, cursor));
        Assert.Null(EnterpriseRows.RowKeyOfCursor("91620200WDCP1HGTL3", cursor));
        Assert.Null(EnterpriseRows.RowKeyOfCursor(uscc, "%%%"));
        Assert.Null(EnterpriseRows.RowKeyOfCursor(uscc, EnterpriseRows.Cursor(uscc + "|claim")));
    }
}
