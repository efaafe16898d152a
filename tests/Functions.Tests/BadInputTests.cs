using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FuncRegistry.Core.Applications;
using FuncRegistry.Functions.Applications;
using FuncRegistry.Functions.Certificates;
using FuncRegistry.Functions.Http;
using Microsoft.Extensions.DependencyInjection;

namespace FuncRegistry.Functions.Tests;

/// <summary>Bad input gets a clear 4xx problem+json with a stable code, and nothing is written.</summary>
public sealed class BadInputTests : IClassFixture<WorkflowTests.App>
{
    private readonly RegistryFactory _app;
    public BadInputTests(WorkflowTests.App app) => _app = app.Factory;

    private static async Task AssertNothingFiledAsync(Scenario s)
    {
        var mine = await (await s.Applicant.GetAsync("/api/applications")).AssertOkAsync();
        Assert.Empty(mine.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Malformed_json_is_refused()
    {
        var s = await Scenario.CreateAsync(_app);
        var response = await s.Applicant.PostAsync("/api/applications", new StringContent("{\"kind\": \"change\",", Encoding.UTF8, "application/json"));
        await response.AssertProblemAsync(400, "malformed_json");
        await AssertNothingFiledAsync(s);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_refused_as_an_unsupported_media_type_in_our_problem_shape()
    {
        var s = await Scenario.CreateAsync(_app);
        var response = await s.Applicant.PostAsync("/api/applications", new StringContent("kind=change", Encoding.UTF8, "application/x-www-form-urlencoded"));
        var problem = await response.AssertProblemAsync(415, "unsupported_media_type");
        Assert.Equal("https://funcregistry.example/problems/unsupported_media_type", problem.GetProperty("type").GetString());
        Assert.Contains("application/json", problem.GetProperty("detail").GetString());
        await AssertNothingFiledAsync(s);
    }

    [Fact]
    public async Task Unknown_kind_is_refused_as_a_field_problem_naming_the_kinds()
    {
        var s = await Scenario.CreateAsync(_app);
        var response = await s.Applicant.PostAsJsonAsync("/api/applications", new { kind = "relocation", certificateNumber = s.CertificateNumber, notificationPhone = TestData.Phone });
        var problem = await response.AssertProblemAsync(400, "validation_failed");
        Assert.Equal("取值无效，可选：change、reissue、cancellation、extension、transfer、enterpriseChange 或 batchReissue", problem.GetProperty("errors").GetProperty("kind")[0].GetString());
        // Nor two kinds joined by a comma, which a plain enum reader takes for a combination of flags.
        var joined = await s.Applicant.PostAsJsonAsync("/api/applications", new { kind = "change,reissue", certificateNumber = s.CertificateNumber, notificationPhone = TestData.Phone });
        Assert.True((await joined.AssertProblemAsync(400, "validation_failed")).GetProperty("errors").TryGetProperty("kind", out _));
        await AssertNothingFiledAsync(s);
    }

    [Theory]
    [InlineData("holderIdNumber", "110105194912310021", "changes.holderIdNumber")]
    [InlineData("employerCode", "91440300192203821", "changes.employerCode")]
    public async Task Invalid_identifiers_in_a_change_are_refused_field_by_field(string field, string value, string errorKey)
    {
        var s = await Scenario.CreateAsync(_app);
        var changes = field == "employerCode" ? new Dictionary<string, string> { ["employer"] = "某单位", [field] = value } : new() { [field] = value };
        var response = await s.Applicant.PostAsJsonAsync("/api/applications", new { kind = "change", certificateNumber = s.CertificateNumber, notificationPhone = TestData.Phone, changes });
        var problem = await response.AssertProblemAsync(400, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(errorKey, out _), problem.GetRawText());
        await AssertNothingFiledAsync(s);
    }

    [Fact]
    public async Task Invalid_phone_and_two_changed_items_are_reported_together()
    {
        var s = await Scenario.CreateAsync(_app);
        var response = await s.Applicant.PostAsJsonAsync("/api/applications", new { kind = "change", certificateNumber = s.CertificateNumber, notificationPhone = "12345", changes = new { holderName = "李四", holderIdNumber = "11010519491231002X" } });
        var problem = await response.AssertProblemAsync(400, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("notificationPhone", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("changes", out _));
        await AssertNothingFiledAsync(s);
    }

    [Fact]
    public async Task Unknown_certificate_is_refused()
    {
        var s = await Scenario.CreateAsync(_app);
        var response = await s.Applicant.PostAsJsonAsync("/api/applications", new { kind = "extension", certificateNumber = "甘建安C（2019）9999999", notificationPhone = TestData.Phone });
        await response.AssertProblemAsync(422, "certificate_not_found");
        await AssertNothingFiledAsync(s);
    }

    [Fact]
    public async Task Certificate_of_somebody_else_is_refused()
    {
        var s = await Scenario.CreateAsync(_app);
        var stranger = await _app.ApplicantAsync(TestData.IdNumber());
        await (await stranger.PostAsJsonAsync("/api/applications", s.ChangeName())).AssertProblemAsync(403, "certificate_not_yours");
        await AssertNothingFiledAsync(s);
    }

    [Fact]
    public async Task Province_decision_before_the_city_stage_is_refused_and_changes_nothing()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.SubmittedAsync();
        var submitted = (await s.ApplicationAsync(id)).GetProperty("version").GetInt32();
        await (await s.ProvinceAsync(id, "approve")).AssertProblemAsync(409, "not_in_review_stage");
        var app = await s.ApplicationAsync(id);
        Assert.Equal("pendingCityReview", app.GetProperty("status").GetString());
        Assert.Equal(submitted, app.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Reviewer_of_another_city_cannot_decide()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.SubmittedAsync();
        var submitted = (await s.ApplicationAsync(id)).GetProperty("version").GetInt32();
        var other = await _app.CityReviewerAsync("620200", "reviewer-jyg");
        await (await s.CityAsync(id, "approve", reviewer: other)).AssertProblemAsync(404, "application_not_found");
        Assert.Equal(submitted, (await s.ApplicationAsync(id)).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Applicant_cannot_decide_a_review()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.SubmittedAsync();
        await (await s.CityAsync(id, "approve", reviewer: s.Applicant)).AssertProblemAsync(403, "not_reviewer_of_stage");
    }

    [Fact]
    public async Task Return_without_a_reason_is_refused()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.SubmittedAsync();
        await (await s.CityAsync(id, "return", "  ")).AssertProblemAsync(400, "validation_failed");
        Assert.Equal("pendingCityReview", (await s.ApplicationAsync(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Second_open_application_for_a_certificate_is_refused()
    {
        var s = await Scenario.CreateAsync(_app);
        var first = await s.SubmittedAsync();
        await (await s.Applicant.PostAsJsonAsync("/api/applications", s.ChangeName("王五"))).AssertProblemAsync(409, "certificate_has_open_application");
        var mine = await (await s.Applicant.GetAsync("/api/applications")).AssertOkAsync();
        Assert.Equal(new string?[] { first }, mine.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()).ToArray());
    }

    [Fact]
    public async Task Status_cannot_be_set_through_an_edit()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.CreateDraftAsync();
        var response = await s.Applicant.PutAsJsonAsync($"/api/applications/{id}", new { notificationPhone = TestData.Phone, changes = new { holderName = "张四" }, status = "approved" });
        var problem = await response.AssertProblemAsync(400, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("status", out _));
        Assert.Equal("draft", (await s.ApplicationAsync(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Request_without_a_token_is_unauthenticated()
    {
        var response = await _app.CreateClient().GetAsync("/api/applications");
        await response.AssertProblemAsync(401, "unauthenticated");
    }

    [Fact]
    public async Task Idempotency_key_replays_the_same_response_and_refuses_another_body()
    {
        var s = await Scenario.CreateAsync(_app);
        async Task<HttpResponseMessage> Post(object body)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/applications") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", "key-1");
            return await s.Applicant.SendAsync(request);
        }
        var first = await (await Post(s.ChangeName())).AssertOkAsync(201);
        var again = await (await Post(s.ChangeName())).AssertOkAsync(201);
        Assert.Equal(first.GetProperty("id").GetString(), again.GetProperty("id").GetString());
        await (await Post(s.ChangeName("别的名字"))).AssertProblemAsync(422, "idempotency_key_reused");
        var mine = await (await s.Applicant.GetAsync("/api/applications")).AssertOkAsync();
        Assert.Single(mine.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task An_idempotency_key_whose_first_request_died_is_taken_over_after_two_minutes()
    {
        await using var app = new RegistryFactory();
        var s = await Scenario.CreateAsync(app);
        var request = new CreateApplicationRequest(ApplicationKind.Change, s.CertificateNumber, TestData.Phone, new ChangesRequest("张四", null, null, null), null, null);
        async Task<HttpResponseMessage> Post()
        {
            var message = new HttpRequestMessage(HttpMethod.Post, "/api/applications") { Content = JsonContent.Create(request, options: Json.Options) };
            message.Headers.Add("Idempotency-Key", "key-1");
            return await s.Applicant.SendAsync(message);
        }
        // The process that reserved the key died before it answered: a reservation without a response.
        var store = app.Services.GetRequiredService<IdempotencyStore>();
        var caller = IdempotencyStore.CallerOf(new Actor(Role.Applicant, s.HolderId, "张三"));
        var body = JsonSerializer.Serialize(request, Json.Options);
        var dead = Assert.IsType<IdempotencyReservation.Reserved>(await store.ReserveAsync(caller, "key-1", body));

        await (await Post()).AssertProblemAsync(409, "idempotency_request_in_progress");
        app.Clock.Advance(IdempotencyStore.AbandonedAfter);
        var created = await (await Post()).AssertOkAsync(201);
        var replayed = await (await Post()).AssertOkAsync(201);

        Assert.Equal(created.GetProperty("id").GetString(), replayed.GetProperty("id").GetString());

        // Should the first request come back to life, it cannot overwrite the answer the key now keeps.
        Assert.False(await store.CompleteAsync(caller, "key-1", dead, body, 201, "{\"id\":\"SQ00000000000000\"}"));
        Assert.Equal(created.GetProperty("id").GetString(), (await (await Post()).AssertOkAsync(201)).GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_migrated_register_keeps_each_certificate_s_standing_and_the_rules_read_it()
    {
        var (cancelled, moved, voided, reissued) = (TestData.CertificateNumber(), TestData.CertificateNumber(), TestData.CertificateNumber(), TestData.CertificateNumber());
        var holder = TestData.IdNumber();
        var csv = string.Join(",", CertificateImport.HeaderWithStanding) + "\n"
            + TestData.Line(voided, holder, TestData.CreditCode()) + $",voided,,{reissued}\n"
            + TestData.Line(reissued, holder, TestData.CreditCode()) + ",,,\n"
            + TestData.Line(cancelled, holder, TestData.CreditCode()) + ",注销,,\n"
            + TestData.Line(moved, holder, TestData.CreditCode()) + ",valid,2026-10-30,\n"          // changed employer three weeks ago
            + TestData.Line(TestData.CertificateNumber(), holder, TestData.CreditCode()) + ",revoked,,\n"
            + TestData.Line(TestData.CertificateNumber(), holder, TestData.CreditCode()) + ",valid,,甘建安C（2019）0000001\n";
        async Task<JsonElement> ImportAsync() => await (await (await _app.AdminAsync()).PostAsync("/api/admin/certificates/import", new StringContent(csv, Encoding.UTF8, "text/csv"))).AssertOkAsync();

        var result = await ImportAsync();
        Assert.Equal(4, result.GetProperty("imported").GetInt32());
        Assert.Equal([6, 7], result.GetProperty("rejected").EnumerateArray().Select(r => r.GetProperty("line").GetInt32()));
        Assert.Equal(4, (await ImportAsync()).GetProperty("unchanged").GetInt32());

        var applicant = await _app.ApplicantAsync(holder);
        var replacement = await (await applicant.GetAsync(TestData.CertificatePath(reissued))).AssertOkAsync();
        Assert.Equal(voided, replacement.GetProperty("replaces").GetString());
        Assert.Equal("voided", (await (await applicant.GetAsync(TestData.CertificatePath(voided))).AssertOkAsync()).GetProperty("status").GetString());
        await (await applicant.PostAsJsonAsync("/api/applications", new { kind = "extension", certificateNumber = cancelled, notificationPhone = TestData.Phone }))
            .AssertProblemAsync(422, "certificate_not_valid");
        await (await applicant.PostAsJsonAsync("/api/applications", new
        {
            kind = "change", certificateNumber = moved, notificationPhone = TestData.Phone, changes = new { employer = "另一家单位", employerCode = TestData.CreditCode() },
        })).AssertProblemAsync(422, "employer_change_too_soon");
    }

    [Fact]
    public async Task Importing_the_same_file_twice_changes_nothing_and_bad_lines_are_reported_by_number()
    {
        var number = TestData.CertificateNumber();
        var good = TestData.Line(number, TestData.IdNumber(), TestData.CreditCode());
        var badId = TestData.Line(TestData.CertificateNumber(), "110105194912310021", TestData.CreditCode());
        var badCity = TestData.Line(TestData.CertificateNumber(), TestData.IdNumber(), TestData.CreditCode(), city: "110100");
        var first = await _app.ImportAsync(good, badId, badCity);
        Assert.Equal(1, first.GetProperty("imported").GetInt32());
        Assert.Equal([3, 4], first.GetProperty("rejected").EnumerateArray().Select(r => r.GetProperty("line").GetInt32()).ToArray());
        var second = await _app.ImportAsync(good);
        Assert.Equal(0, second.GetProperty("imported").GetInt32());
        Assert.Equal(1, second.GetProperty("unchanged").GetInt32());
    }
}
