using FuncRegistry.Core.Applications;
using System.Net.Http.Json;
using System.Text.Json;

namespace FuncRegistry.Functions.Tests;

/// <summary>
/// A transfer filed by the receiving enterprise over HTTP (seed 001 "接收企业所在市主管部门审核变更信息";
/// seed 004 "新单位发起"): the holder confirms, the receiving city and the province approve, and the
/// certificate moves to the new employer, its code and its city.
/// </summary>
public sealed class TransferTests : IClassFixture<TransferTests.App>
{
    public sealed class App : IDisposable
    {
        public RegistryFactory Factory { get; } = new();
        public void Dispose() => Factory.Dispose();
    }

    private readonly RegistryFactory _app;

    public TransferTests(App app) => _app = app.Factory;

    /// <summary>An enterprise of 嘉峪关 the register knows (registered by an admin: it employs nobody yet).</summary>
    private async Task<(string Uscc, HttpClient Client)> ReceivingEnterpriseAsync(string name, string city = "620200")
    {
        var uscc = TestData.CreditCode();
        await (await (await _app.AdminAsync()).PutAsJsonAsync($"/api/admin/enterprises/{uscc}", new { name, cityCode = city })).AssertOkAsync();
        return (uscc, await _app.EnterpriseAsync(uscc));
    }

    private static object Transfer(Scenario s, string? holderIdNumber = null, bool? socialInsuranceException = null) => new
    {
        kind = "transfer", certificateNumber = s.CertificateNumber, holderIdNumber = holderIdNumber ?? s.HolderId, notificationPhone = "13919876543",
        socialInsuranceException,
    };

    private async Task<string> FiledAsync(Scenario s, HttpClient receiving, object body)
    {
        var id = (await (await receiving.PostAsJsonAsync("/api/applications", body)).AssertOkAsync(201)).GetProperty("id").GetString()!;
        await s.AttachRequiredDocumentsAsync(id, receiving);
        var submitted = await (await receiving.SubmitAsync(id, ApplicationKind.Transfer)).AssertOkAsync();
        Assert.Equal("pendingConfirmation", submitted.GetProperty("status").GetString());
        return id;
    }

    private static async Task<JsonElement> CertificateAsSeenBy(HttpClient client, string number) =>
        await (await client.GetAsync(TestData.CertificatePath(number))).AssertOkAsync();

    [Fact]
    public async Task The_receiving_enterprise_files_the_holder_confirms_its_city_and_the_province_approve_and_the_certificate_moves()
    {
        var s = await Scenario.CreateAsync(_app);
        var (uscc, receiving) = await ReceivingEnterpriseAsync("嘉峪关宏达建设工程有限公司");
        var jiayuguan = await _app.CityReviewerAsync("620200", "city-reviewer-0202");

        // A wrong ID number reads like an unknown certificate; the filing changes nothing.
        await (await receiving.PostAsJsonAsync("/api/applications", Transfer(s, holderIdNumber: TestData.IdNumber()))).AssertProblemAsync(422, "certificate_not_found");
        var id = await FiledAsync(s, receiving, Transfer(s));
        // Another enterprise that does not know the holder learns nothing: not that the number exists, nor that it has an open application.
        var (_, prober) = await ReceivingEnterpriseAsync("兰州探查建设有限公司", "620100");
        var probed = await (await prober.PostAsJsonAsync("/api/applications", Transfer(s, holderIdNumber: TestData.IdNumber()))).AssertProblemAsync(422, "certificate_not_found");
        var unknown = await (await prober.PostAsJsonAsync("/api/applications", new
        {
            kind = "transfer", certificateNumber = TestData.CertificateNumber(), holderIdNumber = s.HolderId, notificationPhone = "13919876543",
        })).AssertProblemAsync(422, "certificate_not_found");
        Assert.Equal(unknown.GetProperty("detail").GetString(), probed.GetProperty("detail").GetString());
        var filed = await s.ApplicationAsync(id, receiving);
        Assert.Equal("620200", filed.GetProperty("cityCode").GetString());
        Assert.Equal("嘉峪关宏达建设工程有限公司", filed.GetProperty("changes").GetProperty("employer").GetString());
        // The receiving enterprise finds it in its own list.
        var listed = await (await receiving.GetAsync("/api/applications?pageSize=100")).AssertOkAsync();
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == id);

        // The holder confirms; then the reviewers of the receiving city decide, not those of the certificate's city.
        Assert.Equal(["confirm"], (await s.ApplicationAsync(id)).GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));
        await (await s.ConfirmAsync(id, true, s.Applicant)).AssertOkAsync();
        await (await s.CityAsync(id, "approve")).AssertProblemAsync(404, "application_not_found");
        await (await s.CityAsync(id, "approve", reviewer: jiayuguan)).AssertOkAsync();
        var approved = await (await s.ProvinceAsync(id, "approve")).AssertOkAsync();
        Assert.Equal("approved", approved.GetProperty("status").GetString());

        var certificate = await s.CertificateAsync();
        Assert.Equal(("嘉峪关宏达建设工程有限公司", uscc, "620200"),
            (certificate.GetProperty("employer").GetString(), certificate.GetProperty("employerCode").GetString(), certificate.GetProperty("cityCode").GetString()));
        Assert.Equal("调入：工作单位由“兰州测试建设工程有限公司”变更为“嘉峪关宏达建设工程有限公司”", certificate.GetProperty("endorsements")[0].GetProperty("text").GetString());
        // The new employer sees it in its roster; the old one no longer does.
        var roster = await (await receiving.GetAsync($"/api/enterprises/{uscc}/certificates")).AssertOkAsync();
        Assert.Contains(roster.GetProperty("items").EnumerateArray(), i => i.GetProperty("number").GetString() == s.CertificateNumber);
        await (await (await _app.EnterpriseAsync(s.EmployerCode)).GetAsync(TestData.CertificatePath(s.CertificateNumber))).AssertProblemAsync(404, "certificate_not_found");
        Assert.Contains(await _app.SmsToAsync("13919876543"), m => m.ApplicationId == id && m.Text.Contains("已审批通过"));
    }

    [Fact]
    public async Task Within_three_months_of_a_move_only_the_social_insurance_exception_with_its_proof_and_the_citys_condition_lets_it_through()
    {
        var s = await Scenario.CreateAsync(_app);
        var (_, first) = await ReceivingEnterpriseAsync("兰州鼎盛建筑工程有限公司", "620100");
        var firstMove = await FiledAsync(s, first, Transfer(s));
        await (await s.ConfirmAsync(firstMove, true, s.Applicant)).AssertOkAsync();
        await (await s.CityAsync(firstMove, "approve")).AssertOkAsync();
        await (await s.ProvinceAsync(firstMove, "approve")).AssertOkAsync();

        var (_, second) = await ReceivingEnterpriseAsync("兰州恒基路桥工程有限公司", "620100");
        await (await second.PostAsJsonAsync("/api/applications", Transfer(s))).AssertProblemAsync(422, "employer_change_too_soon");
        var created = await (await second.PostAsJsonAsync("/api/applications", Transfer(s, socialInsuranceException: true))).AssertOkAsync(201);
        var id = created.GetProperty("id").GetString()!;
        var documents = await (await second.GetAsync($"/api/applications/{id}/documents")).AssertOkAsync();
        Assert.Contains("socialInsuranceProof", documents.GetProperty("missingDocumentTypes").EnumerateArray().Select(t => t.GetString()));
        await s.AttachRequiredDocumentsAsync(id, second);
        await (await second.SubmitAsync(id, ApplicationKind.Transfer)).AssertOkAsync();
        await (await s.ConfirmAsync(id, true, s.Applicant)).AssertOkAsync();

        await (await s.CityAsync(id, "approve")).AssertProblemAsync(400, "validation_failed");
        var approved = await (await s.CityReviewer.PostAsJsonAsync($"/api/applications/{id}/events/city-review",
            new { decision = "approve", conditionMet = "newEmployer3Months" })).AssertOkAsync();

        Assert.Equal("pendingProvinceReview", approved.GetProperty("status").GetString());
        Assert.Equal("市州审核通过（社保例外：新单位已连续缴纳社保3个月）", approved.GetProperty("history").EnumerateArray().Last().GetProperty("actionText").GetString());
    }
}
