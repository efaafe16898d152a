using System.Net.Http.Json;
using System.Text.Json;

namespace FuncRegistry.Functions.Tests;

/// <summary>Every transition through the HTTP API against Azurite.</summary>
public sealed class WorkflowTests : IClassFixture<WorkflowTests.App>
{
    public sealed class App : IDisposable
    {
        public RegistryFactory Factory { get; } = new();
        public void Dispose() => Factory.Dispose();
    }

    private readonly RegistryFactory _app;
    public WorkflowTests(App app) => _app = app.Factory;

    [Fact]
    public async Task Name_change_approved_at_both_levels_updates_the_certificate_and_texts_the_applicant()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.CreateDraftAsync();
        var submitted = await (await s.Applicant.SubmitAsync(id)).AssertOkAsync();
        Assert.Equal("pendingCityReview", submitted.GetProperty("status").GetString());
        Assert.Equal("待市州审核", submitted.GetProperty("statusText").GetString());

        var queue = await (await s.CityReviewer.GetAsync("/api/reviews/pending?limit=100")).AssertOkAsync();
        Assert.Contains(queue.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == id);

        var afterCity = await (await s.CityAsync(id, "approve")).AssertOkAsync();
        Assert.Equal("pendingProvinceReview", afterCity.GetProperty("status").GetString());
        var cityQueue = await (await s.CityReviewer.GetAsync("/api/reviews/pending?limit=100")).AssertOkAsync();
        Assert.DoesNotContain(cityQueue.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == id);

        var approved = await (await s.ProvinceAsync(id, "approve")).AssertOkAsync();
        Assert.Equal("approved", approved.GetProperty("status").GetString());
        Assert.Equal("审核通过（已生效）", approved.GetProperty("statusText").GetString());
        Assert.Equal(new string?[] { "create", "attachDocument", "attachDocument", "attachDocument", "submit", "cityApprove", "provinceApprove" },
            approved.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("action").GetString()).ToArray());

        var certificate = await s.CertificateAsync();
        Assert.Equal("张四", certificate.GetProperty("holderName").GetString());
        var sms = await _app.SmsToAsync(TestData.Phone);
        Assert.Contains(sms, m => m.ApplicationId == id && m.Text == $"【甘肃住建】您的证书变更申请（{id}）已审批通过，证书信息已更新。");
    }

    [Fact]
    public async Task City_return_carries_the_reason_and_resubmission_restarts_at_city_review()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.SubmittedAsync();
        var returned = await (await s.CityAsync(id, "return", "身份证复印件不清晰")).AssertOkAsync();
        Assert.Equal("cityReturned", returned.GetProperty("status").GetString());
        Assert.Equal("身份证复印件不清晰", returned.GetProperty("history").EnumerateArray().Last().GetProperty("reason").GetString());
        Assert.Contains(await _app.SmsToAsync(TestData.Phone), m => m.ApplicationId == id && m.Text.Contains("被市州退回，原因：身份证复印件不清晰。"));

        var edited = await (await s.Applicant.PutAsJsonAsync($"/api/applications/{id}", new { notificationPhone = "13800001111", changes = new { holderName = "张五" } })).AssertOkAsync();
        Assert.Equal("张五", edited.GetProperty("changes").GetProperty("holderName").GetString());
        var resubmitted = await (await s.Applicant.SubmitAsync(id)).AssertOkAsync();
        Assert.Equal("pendingCityReview", resubmitted.GetProperty("status").GetString());
        Assert.Equal(2, resubmitted.GetProperty("round").GetInt32());
    }

    [Fact]
    public async Task A_return_lists_what_to_correct_and_the_applicant_sees_it_until_resubmitting()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.SubmittedAsync();
        await (await s.CityReviewer.PostAsJsonAsync($"/api/applications/{id}/events/city-review", new
        {
            decision = "return", reason = "新姓名与身份证不一致，身份证人像面不清晰",
            toFix = new { fields = new[] { "changes.holderName" }, documentTypes = new[] { "idCardFront" } },
        })).AssertOkAsync();

        var seen = (await s.ApplicationAsync(id)).GetProperty("toFix");
        Assert.Equal(("changes.holderName", "新姓名"), (seen.GetProperty("fields")[0].GetProperty("code").GetString(), seen.GetProperty("fields")[0].GetProperty("label").GetString()));
        Assert.Equal(("idCardFront", "身份证人像面"), (seen.GetProperty("documentTypes")[0].GetProperty("code").GetString(), seen.GetProperty("documentTypes")[0].GetProperty("label").GetString()));

        await (await s.Applicant.SubmitAsync(id)).AssertOkAsync();
        var resubmitted = await s.ApplicationAsync(id);
        Assert.False(resubmitted.TryGetProperty("toFix", out _));
        Assert.True(resubmitted.GetProperty("history").EnumerateArray().Single(h => h.GetProperty("action").GetString() == "cityReturn").TryGetProperty("toFix", out _));

        async Task RefusedAsync(object body, string field)
        {
            var problem = await (await s.CityReviewer.PostAsJsonAsync($"/api/applications/{id}/events/city-review", body)).AssertProblemAsync(400, "validation_failed");
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no problem under {field}: {problem}");
        }
        await RefusedAsync(new { decision = "return", reason = "请修改", toFix = new { fields = new[] { "status" } } }, "toFix.fields");
        await RefusedAsync(new { decision = "return", reason = "请修改", toFix = new { fields = new[] { "changes.employer" } } }, "toFix.fields"); // a name change changes the name only
        await RefusedAsync(new { decision = "return", reason = "请修改", toFix = new { fields = new string?[] { null } } }, "toFix.fields");
        await RefusedAsync(new { decision = "return", reason = "请修改", toFix = new { documentTypes = new[] { "idCardBack,photo" } } }, "toFix.documentTypes[0]");
        await RefusedAsync(new { decision = "approve", toFix = new { fields = new[] { "changes.holderName" } } }, "toFix");
        Assert.Equal("pendingCityReview", (await s.ApplicationAsync(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Province_return_sends_it_back_to_the_applicant_and_resubmission_goes_to_the_city_first()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.SubmittedAsync();
        await (await s.CityAsync(id, "approve")).AssertOkAsync();
        var returned = await (await s.ProvinceAsync(id, "return", "缺少单位证明")).AssertOkAsync();
        Assert.Equal("provinceReturned", returned.GetProperty("status").GetString());
        Assert.Contains(await _app.SmsToAsync(TestData.Phone), m => m.ApplicationId == id && m.Text.Contains("被省级退回，原因：缺少单位证明。"));
        var resubmitted = await (await s.Applicant.SubmitAsync(id)).AssertOkAsync();
        Assert.Equal("pendingCityReview", resubmitted.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Withdrawn_application_frees_the_certificate_for_a_new_one()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.SubmittedAsync();
        var withdrawn = await (await s.Applicant.PostAsync($"/api/applications/{id}/withdraw", null)).AssertOkAsync();
        Assert.Equal("withdrawn", withdrawn.GetProperty("status").GetString());
        await s.SubmittedAsync();
    }

    [Fact]
    public async Task Lists_filter_by_status_and_kind_written_as_the_api_writes_them()
    {
        var s = await Scenario.CreateAsync(_app);
        var draft = await s.CreateDraftAsync();
        var submitted = await s.SubmittedAsync(s.ChangeName("王六"));

        async Task<List<string>> IdsAsync(string query) =>
            (await (await s.Applicant.GetAsync("/api/applications?" + query)).AssertOkAsync())
                .GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
        Assert.Equal([submitted], await IdsAsync("status=pendingCityReview"));
        Assert.Equal([submitted], await IdsAsync("status=PendingCityReview"));
        Assert.Equal([draft], await IdsAsync("status=draft&kind=change"));
        Assert.Empty(await IdsAsync("kind=cancellation"));
        Assert.Equal(new[] { submitted, draft }.Order(), (await IdsAsync("status=")).Order());

        foreach (var bad in new[] { "status=approvedd", "status=1", "status=draft,approved", "status=none", "kind=relocation" })
            await (await s.Applicant.GetAsync("/api/applications?" + bad)).AssertProblemAsync(400, "validation_failed");
    }

    [Fact]
    public async Task A_holder_s_certificates_are_found_by_the_id_number_in_the_body_and_the_query_string_form_says_it_is_deprecated()
    {
        var s = await Scenario.CreateAsync(_app);
        var found = await (await s.CityReviewer.PostAsJsonAsync("/api/certificates/search", new { holderIdNumber = s.HolderId })).AssertOkAsync();
        Assert.Equal([s.CertificateNumber], found.EnumerateArray().Select(c => c.GetProperty("number").GetString()));

        var old = await s.CityReviewer.GetAsync($"/api/certificates?holderIdNumber={s.HolderId}");
        Assert.Equal(found.GetRawText(), (await old.AssertOkAsync()).GetRawText());
        Assert.True(old.Headers.TryGetValues("Deprecation", out _));
        Assert.Contains("</api/certificates/search>; rel=\"successor-version\"", old.Headers.GetValues("Link"));
    }

    [Fact]
    public async Task After_an_id_number_change_the_holder_signed_in_under_the_new_number_still_follows_the_application()
    {
        var s = await Scenario.CreateAsync(_app);
        var newId = TestData.IdNumber();
        var id = await s.SubmittedAsync(new { kind = "change", certificateNumber = s.CertificateNumber, notificationPhone = TestData.Phone, changes = new { holderIdNumber = newId } });
        await (await s.CityAsync(id, "approve")).AssertOkAsync();
        await (await s.ProvinceAsync(id, "approve")).AssertOkAsync();

        var renumbered = await _app.ApplicantAsync(newId);
        var seen = await s.ApplicationAsync(id, renumbered);
        Assert.Equal(s.HolderId, seen.GetProperty("holder").GetProperty("idNumber").GetString()); // their own data: unmasked
        var mine = await (await renumbered.GetAsync("/api/applications")).AssertOkAsync();
        Assert.Equal("张三", mine.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == id).GetProperty("holderName").GetString());
        await (await renumbered.GetAsync($"/api/applications/{id}/documents")).AssertOkAsync();
        Assert.Equal(newId, (await (await renumbered.GetAsync(TestData.CertificatePath(s.CertificateNumber))).AssertOkAsync()).GetProperty("holderIdNumber").GetString());
    }

    [Fact]
    public async Task Draft_can_be_deleted_and_is_gone()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.CreateDraftAsync();
        Assert.Equal(204, (int)(await s.Applicant.DeleteAsync($"/api/applications/{id}")).StatusCode);
        await (await s.Applicant.GetAsync($"/api/applications/{id}")).AssertProblemAsync(404, "application_not_found");
        var mine = await (await s.Applicant.GetAsync("/api/applications")).AssertOkAsync();
        Assert.DoesNotContain(mine.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task Reissue_voids_the_old_certificate_and_issues_a_new_number()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.SubmittedAsync(new { kind = "reissue", certificateNumber = s.CertificateNumber, notificationPhone = TestData.Phone, reissueReason = "lost" });
        await (await s.CityAsync(id, "approve")).AssertOkAsync();
        await (await s.ProvinceAsync(id, "approve")).AssertOkAsync();

        var old = await s.CertificateAsync();
        Assert.Equal("voided", old.GetProperty("status").GetString());
        var newNumber = old.GetProperty("replacedBy").GetString()!;
        var issued = await s.CertificateAsync(newNumber);
        Assert.Equal("valid", issued.GetProperty("status").GetString());
        Assert.Equal(s.CertificateNumber, issued.GetProperty("replaces").GetString());
        Assert.Contains(await _app.SmsToAsync(TestData.Phone), m => m.ApplicationId == id && m.Text.Contains($"新证书编号{newNumber}，原证书作废"));
    }

    [Fact]
    public async Task Cancellation_cancels_the_certificate()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.SubmittedAsync(new { kind = "cancellation", certificateNumber = s.CertificateNumber, notificationPhone = TestData.Phone, reason = "退休" });
        await (await s.CityAsync(id, "approve")).AssertOkAsync();
        await (await s.ProvinceAsync(id, "approve")).AssertOkAsync();
        Assert.Equal("cancelled", (await s.CertificateAsync()).GetProperty("status").GetString());
        // A cancelled certificate takes no further applications.
        await (await s.Applicant.PostAsJsonAsync("/api/applications", s.ChangeName())).AssertProblemAsync(422, "certificate_not_valid");
    }

    [Fact]
    public async Task Extension_moves_valid_until_forward_by_three_years()
    {
        // Filed on 2026-11-23, within the 90 days before valid-until.
        var s = await Scenario.CreateAsync(_app, validUntil: "2026-12-31");
        var id = await s.SubmittedAsync(new { kind = "extension", certificateNumber = s.CertificateNumber, notificationPhone = TestData.Phone });
        await (await s.CityAsync(id, "approve")).AssertOkAsync();
        await (await s.ProvinceAsync(id, "approve")).AssertOkAsync();
        Assert.Equal("2029-12-31", (await s.CertificateAsync()).GetProperty("validUntil").GetString());
        Assert.Contains(await _app.SmsToAsync(TestData.Phone), m => m.ApplicationId == id && m.Text.Contains("有效期延至2029年12月31日"));
    }

    [Fact]
    public async Task Employer_change_filed_by_the_enterprise_moves_the_certificate_and_a_second_within_three_months_is_refused()
    {
        var s = await Scenario.CreateAsync(_app);
        var enterprise = await _app.EnterpriseAsync(s.EmployerCode);
        var newEmployer = TestData.CreditCode();
        var body = new { kind = "change", certificateNumber = s.CertificateNumber, notificationPhone = TestData.Phone, changes = new { employer = "兰州新单位建设有限公司", employerCode = newEmployer } };
        var id = (await (await enterprise.PostAsJsonAsync("/api/applications", body)).AssertOkAsync(201)).GetProperty("id").GetString()!;
        var list = await (await enterprise.GetAsync("/api/applications")).AssertOkAsync();
        var line = list.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == id);
        Assert.Equal("张*", line.GetProperty("holderName").GetString());
        await s.AttachRequiredDocumentsAsync(id, enterprise);
        await (await enterprise.SubmitAsync(id)).AssertOkAsync();
        await (await s.CityAsync(id, "approve")).AssertOkAsync();
        await (await s.ProvinceAsync(id, "approve")).AssertOkAsync();
        Assert.Equal(newEmployer, (await s.CertificateAsync()).GetProperty("employerCode").GetString());

        var newEnterprise = await _app.EnterpriseAsync(newEmployer);
        var again = new { kind = "change", certificateNumber = s.CertificateNumber, notificationPhone = TestData.Phone, changes = new { employer = "又一家单位", employerCode = TestData.CreditCode() } };
        await (await newEnterprise.PostAsJsonAsync("/api/applications", again)).AssertProblemAsync(422, "employer_change_too_soon");
    }

    [Fact]
    public async Task Applicant_sees_own_application_unmasked_and_others_cannot_see_it()
    {
        var s = await Scenario.CreateAsync(_app);
        var id = await s.SubmittedAsync();
        var own = await s.ApplicationAsync(id);
        Assert.Equal(s.HolderId, own.GetProperty("holder").GetProperty("idNumber").GetString());
        Assert.Equal(TestData.Phone, own.GetProperty("notificationPhone").GetString());
        Assert.Contains("withdraw", own.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));
        string FiledBy(JsonElement application) => application.GetProperty("history")[0].GetProperty("actor").GetProperty("name").GetString()!;
        Assert.Equal("张三", FiledBy(own));
        Assert.Equal("张三", FiledBy(await s.ApplicationAsync(id, s.CityReviewer)));

        var stranger = await _app.ApplicantAsync(TestData.IdNumber());
        await (await stranger.GetAsync($"/api/applications/{id}")).AssertProblemAsync(404, "application_not_found");
        var otherCity = await _app.CityReviewerAsync("620200", "reviewer-jyg");
        await (await otherCity.GetAsync($"/api/applications/{id}")).AssertProblemAsync(404, "application_not_found");

        var admin = await _app.AdminAsync();
        var masked = await s.ApplicationAsync(id, admin);
        Assert.Equal("139****5678", masked.GetProperty("notificationPhone").GetString());
        Assert.DoesNotContain(s.HolderId, masked.GetRawText());
        Assert.Equal("张*", FiledBy(masked));
    }
}
