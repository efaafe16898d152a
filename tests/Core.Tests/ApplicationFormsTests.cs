using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Certificates;
using Xunit;
using static FuncRegistry.Core.Tests.TestData;

namespace FuncRegistry.Core.Tests;

/// <summary>What the printed application form says, per kind and per reader.</summary>
public class ApplicationFormsTests
{
    private static ApplicationState Draft(ApplicationKind kind, ApplicationDetails details, Actor filer, IReadOnlyList<BatchLine>? lines = null,
        EnterpriseChange? enterprise = null) =>
        ApplicationState.Initial with
        {
            Id = ApplicationNumber, Kind = kind, CertificateNumber = ValidCertificate.Number, CityCode = CityCode, HolderIdNumber = HolderIdNumber,
            HolderName = ValidCertificate.HolderName, EmployerCode = EmployerCode, CertificateValidUntil = ValidCertificate.ValidUntil,
            FiledBy = ActorRef.Of(filer), Details = details, Status = ApplicationStatus.Draft, Lines = lines ?? [], Enterprise = enterprise,
        };

    private static ApplicationForm Form(ApplicationState state, bool sees = true) =>
        ApplicationForms.For(state, state.Kind is ApplicationKind.EnterpriseChange or ApplicationKind.BatchReissue ? null : ValidCertificate,
            _ => sees, code => code == "620200" ? "嘉峪关市" : code == CityCode ? "兰州市" : null);

    private static string Value(IEnumerable<FormField> fields, string label) => Assert.Single(fields, f => f.Label == label).Value;

    [Fact]
    public void A_name_change_prints_the_name_before_and_after_and_the_holder_signs()
    {
        var form = Form(Draft(ApplicationKind.Change, new(Phone, new CertificateChange(HolderName: "张山")), Applicant));
        Assert.Equal("建设工程施工现场专业人员岗位证书信息变更申请表", form.Title);
        Assert.Equal("张三", Value(form.Request, "变更前"));
        Assert.Equal("张山", Value(form.Request, "变更后"));
        Assert.Equal(ValidCertificate.Number, Value(form.Certificate, "证书编号"));
        Assert.Equal("2026-12-31", Value(form.Certificate, "有效期至"));
        Assert.Equal("申请人（签名）", form.SignatureLabel);
        Assert.Equal("单位（盖章）", form.StampLabel);
        Assert.Same(Commitments.Current(ApplicationKind.Change), form.Commitment);
    }

    [Fact]
    public void A_form_printed_after_the_change_took_effect_still_shows_what_was_asked()
    {
        var approved = Draft(ApplicationKind.Change, new(Phone, new CertificateChange(Employer: "兰州新建设有限公司", EmployerCode: "91350100M000100Y43")), Applicant)
            with { Status = ApplicationStatus.Approved };
        var now = ValidCertificate with { Employer = "兰州新建设有限公司", EmployerCode = "91350100M000100Y43" };
        var form = ApplicationForms.For(approved, now, _ => true, _ => null);
        Assert.Equal($"统一社会信用代码 {EmployerCode}", Value(form.Request, "变更前"));

        var renamed = ApplicationForms.For(Draft(ApplicationKind.Change, new(Phone, new CertificateChange(HolderName: "张山")), Applicant)
            with { Status = ApplicationStatus.Approved }, ValidCertificate with { HolderName = "张山" }, _ => true, _ => null);
        Assert.Equal("张三", Value(renamed.Request, "变更前"));
        Assert.Equal("张三", Value(renamed.Applicant, "持证人姓名"));
    }

    [Fact]
    public void A_reader_who_may_not_see_the_holder_s_personal_data_gets_it_masked_on_the_form()
    {
        var form = Form(Draft(ApplicationKind.Change, new(Phone, new CertificateChange(HolderName: "张山")), Applicant), sees: false);
        Assert.Equal("张*", Value(form.Applicant, "持证人姓名"));
        Assert.Equal("1101**********002X", Value(form.Applicant, "身份证号"));
        Assert.Equal("138****5678", Value(form.Applicant, "接收短信的手机号"));
        Assert.Equal("张*", Value(form.Request, "变更后"));
    }

    [Fact]
    public void Each_kind_prints_what_it_asks_for()
    {
        Assert.Equal("遗失", Value(Form(Draft(ApplicationKind.Reissue, new(Phone, ReissueReason: ReissueReason.Lost), Applicant)).Request, "补办原因"));
        Assert.Equal("本人已调离施工现场岗位", Value(Form(Draft(ApplicationKind.Cancellation, CancellationDetails, Applicant)).Request, "注销原因"));
        Assert.Equal("2026-12-31", Value(Form(Draft(ApplicationKind.Extension, new(Phone), Applicant)).Request, "现有效期至"));
        var employer = Form(Draft(ApplicationKind.Change, new(Phone, new CertificateChange(Employer: "兰州新建设有限公司", EmployerCode: "91350100M000100Y43")), Applicant));
        Assert.Equal("甘肃建工集团有限公司", Value(employer.Request, "变更前"));
        Assert.Contains("兰州新建设有限公司", Value(employer.Request, "变更后"));

        var receiving = new Actor(Role.Enterprise, "ent-2", "经办人", Org: "91350100M000100Y43");
        var transfer = Form(Draft(ApplicationKind.Transfer, new(Phone, new CertificateChange(Employer: "嘉峪关新建设有限公司", EmployerCode: "91350100M000100Y43"),
            SocialInsuranceException: true), receiving));
        Assert.Equal("甘肃建工集团有限公司", Value(transfer.Request, "调出单位"));
        Assert.Contains("嘉峪关新建设有限公司", Value(transfer.Request, "调入单位"));
        Assert.Equal("嘉峪关新建设有限公司", Value(transfer.Applicant, "申请单位"));
        Assert.Equal("经办人（签名）", transfer.SignatureLabel);

        var move = Form(Draft(ApplicationKind.EnterpriseChange, new(Phone), Enterprise,
            enterprise: new EnterpriseChange(EmployerCode, "甘肃建工集团有限公司", CityCode, "甘肃建工控股集团有限公司", "620200")));
        Assert.Equal("甘肃建工控股集团有限公司", Value(move.Request, "变更后名称"));
        Assert.Equal("嘉峪关市", Value(move.Request, "迁入市州"));
        Assert.Empty(move.Certificate);
    }

    [Fact]
    public void A_batch_prints_its_lines_as_a_table_with_each_holder_as_the_reader_may_see_them()
    {
        BatchLine[] lines =
        [
            new("甘建安C（2023）0000123", "王磊", HolderIdNumber, "施工员", ValidUntil: new(2027, 6, 30)),
            new("甘建安B（2022）0000456", "李娜", "440524188001010014", "安全员", StruckReason: "证书已注销"),
        ];
        var form = ApplicationForms.For(Draft(ApplicationKind.BatchReissue, new(Phone, ReissueReason: ReissueReason.Damaged), Enterprise, lines), null,
            id => id == HolderIdNumber, _ => null);
        var table = Assert.IsType<FormTable>(form.Lines);
        Assert.Equal(["1", "甘建安C（2023）0000123", "王磊", "施工员", "2027-06-30", ""], table.Rows[0]);
        Assert.Equal(["2", "甘建安B（2022）0000456", "李*", "安全员", "", "不予补办：证书已注销"], table.Rows[1]);
        Assert.Equal("污损", Value(form.Request, "补办原因"));
    }
}
