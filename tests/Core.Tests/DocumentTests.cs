using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Documents;
using static FuncRegistry.Core.Tests.DeciderSpec;
using static FuncRegistry.Core.Tests.History;
using static FuncRegistry.Core.Tests.TestData;

namespace FuncRegistry.Core.Tests;

/// <summary>Documents: recognised by content, names as display text only, required types at submit, evidence kept.</summary>
public class DocumentTests
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, (byte)'J', (byte)'F'];
    private static readonly byte[] Pdf = "%PDF-1.7\n"u8.ToArray();
    private static readonly byte[] Zip = [(byte)'P', (byte)'K', 3, 4, 20, 0, 0, 0];

    private static ApplicationCommand.AttachDocument Attach(DocumentUpload upload, Actor? by = null) => new(upload, DocumentPolicy.Default, by ?? Applicant, Now);
    private static ApplicationCommand.Submit Submit(DocumentPolicy? policy = null) => new(ValidCertificate, policy ?? DocumentPolicy.Default, Certificates.ExtensionWindow.Default, Applicant, Now,
        CommitmentVersion: TestData.Accepted());

    private static DocumentUpload File(byte[] content, string fileName, string? declared = null, DocumentType type = DocumentType.IdCardFront) =>
        new("doc-1", type, fileName, declared, content.Length, DocumentFormats.Sniff(content), Sha("doc-1"));

    private static Refusal Refused(DocumentUpload upload, DocumentPolicy? policy = null)
    {
        var (document, refusal) = DocumentRules.Check(upload, policy ?? DocumentPolicy.Default, Now);
        Assert.Null(document);
        return Assert.IsType<Refusal>(refusal);
    }

    // ── Content, names, sizes ────────────────────────────────────────────────────────────

    [Fact]
    public void Formats_are_recognised_by_their_magic_bytes_only()
    {
        Assert.Equal(DocumentFormat.Png, DocumentFormats.Sniff(Png));
        Assert.Equal(DocumentFormat.Jpeg, DocumentFormats.Sniff(Jpeg));
        Assert.Equal(DocumentFormat.Pdf, DocumentFormats.Sniff(Pdf));
        Assert.Null(DocumentFormats.Sniff(Zip));
        Assert.Null(DocumentFormats.Sniff("<html>"u8));
        Assert.Null(DocumentFormats.Sniff([]));
    }

    [Theory]
    [InlineData("身份证正面.png", null)]
    [InlineData("身份证正面.PNG", "image/png")]
    [InlineData("scan", "application/octet-stream")]
    [InlineData("  扫描件 2026.11.23.png  ", "image/png; charset=binary")]
    public void A_png_is_accepted_with_a_name_and_declared_type_that_agree_or_say_nothing(string fileName, string? declared)
    {
        var (document, refusal) = DocumentRules.Check(File(Png, fileName, declared), DocumentPolicy.Default, Now);

        Assert.Null(refusal);
        Assert.Equal(DocumentFormat.Png, document!.Format);
        Assert.Equal(fileName.Trim(), document.FileName);
    }

    [Fact]
    public void A_png_renamed_pdf_is_refused_because_its_content_is_not_what_its_name_says()
    {
        var refusal = Refused(File(Png, "身份证正面.pdf", "application/pdf"));

        Assert.Equal(RefusalKind.Invalid, refusal.Kind);
        Assert.Equal("invalid_document", refusal.Code);
        Assert.Contains("扩展名却是“.pdf”", Assert.Single(refusal.Errors!["fileName"]));
        Assert.Contains("与声明的类型“application/pdf”不符", Assert.Single(refusal.Errors!["file"]));
    }

    [Fact]
    public void A_zip_renamed_jpg_is_refused_by_its_content()
    {
        var refusal = Refused(File(Zip, "身份证正面.jpg", "image/jpeg"));

        Assert.Contains("不是JPEG、PNG图片或PDF文件", Assert.Single(refusal.Errors!["file"]));
    }

    [Fact]
    public void A_photo_must_be_an_image()
    {
        var refusal = Refused(File(Pdf, "照片.pdf", type: DocumentType.Photo));

        Assert.Contains("二寸免冠证件照只接受JPEG图片、PNG图片", Assert.Single(refusal.Errors!["file"]));
    }

    [Theory]
    [InlineData("../../etc/passwd.png", "路径")]
    [InlineData("C:\\Users\\张三\\身份证.png", "路径")]
    [InlineData("..", "路径")]
    [InlineData("身份证\u0000.png", "控制字符")]
    [InlineData("身份证\r\n.png", "控制字符")]
    [InlineData("身份证\u202Egnp.exe", "控制字符")]
    [InlineData("   ", "请提供文件名")]
    public void A_file_name_is_display_text_without_paths_or_control_characters(string fileName, string problem)
    {
        var refusal = Refused(File(Png, fileName));

        Assert.Contains(problem, Assert.Single(refusal.Errors!["fileName"]));
    }

    [Fact]
    public void A_file_name_is_at_most_100_characters()
    {
        Assert.Null(DocumentRules.Check(File(Png, new string('证', 96) + ".png"), DocumentPolicy.Default, Now).Refusal);
        Assert.Contains("100", Assert.Single(Refused(File(Png, new string('证', 97) + ".png")).Errors!["fileName"]));
    }

    [Fact]
    public void Every_problem_of_a_file_is_reported_at_once()
    {
        var refusal = Refused(File(Zip, "../x.jpg") with { Type = null });

        Assert.Equal(["file", "fileName", "type"], refusal.Errors!.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_file_over_the_limit_is_too_large_and_an_empty_one_is_invalid()
    {
        var policy = DocumentPolicy.Default with { MaxBytes = 1000 };

        Assert.Null(DocumentRules.Check(File(Png, "a.png") with { Size = 1000 }, policy, Now).Refusal);
        var tooLarge = Refused(File(Png, "a.png") with { Size = 1001 }, policy);
        Assert.Equal((RefusalKind.TooLarge, "file_too_large"), (tooLarge.Kind, tooLarge.Code));
        Assert.Contains("文件为空", Assert.Single(Refused(File([], "a.png")).Errors!["file"]));
        Assert.Equal(10 * 1024 * 1024, DocumentPolicy.Default.MaxBytes);
    }

    [Fact]
    public void A_direct_upload_is_refused_before_any_byte_when_its_announcement_cannot_succeed()
    {
        Assert.Null(DocumentRules.CheckDeclared(DocumentType.SignedForm, "申请表.pdf", 2_000_000, DocumentPolicy.Default).Refusal);
        Assert.Null(DocumentRules.CheckDeclared(DocumentType.SignedForm, "申请表", 2_000_000, DocumentPolicy.Default).Refusal);
        Assert.Equal(RefusalKind.TooLarge, DocumentRules.CheckDeclared(DocumentType.SignedForm, "申请表.pdf", DocumentPolicy.DefaultMaxBytes + 1, DocumentPolicy.Default).Refusal?.Kind);
        Assert.Contains("fileName", DocumentRules.CheckDeclared(DocumentType.SignedForm, "申请表.zip", 2_000, DocumentPolicy.Default).Refusal!.Errors!.Keys);
        Assert.Contains("fileName", DocumentRules.CheckDeclared(DocumentType.Photo, "照片.pdf", 2_000, DocumentPolicy.Default).Refusal!.Errors!.Keys);
        Assert.Contains("size", DocumentRules.CheckDeclared(DocumentType.Photo, "照片.jpg", 0, DocumentPolicy.Default).Refusal!.Errors!.Keys);
    }

    // ── Which types are required ─────────────────────────────────────────────────────────

    [Fact]
    public void An_employer_change_requires_the_contract_and_social_insurance_proof_a_name_change_does_not()
    {
        var policy = DocumentPolicy.Default;

        Assert.Equal([DocumentType.IdCardFront, DocumentType.IdCardBack, DocumentType.SignedForm],
            policy.RequiredFor(ApplicationKind.Change, new CertificateChange(HolderName: "张叁")));
        Assert.Equal([DocumentType.IdCardFront, DocumentType.IdCardBack, DocumentType.EmploymentContract, DocumentType.SocialInsuranceProof, DocumentType.SignedForm],
            policy.RequiredFor(ApplicationKind.Change, new CertificateChange(Employer: "新单位", EmployerCode: EmployerCode)));
        Assert.Contains(DocumentType.LossStatement, policy.RequiredFor(ApplicationKind.Reissue, null));
        Assert.Contains(DocumentType.ContinuingEducationProof, policy.RequiredFor(ApplicationKind.Extension, null));
    }

    [Fact]
    public void Submit_lists_every_missing_type_at_once()
    {
        var refusal = Given(Created(ApplicationKind.Extension), Attached(DocumentType.IdCardBack))
            .When(Submit())
            .ThenRefused(RefusalKind.RuleViolated, "missing_documents");

        Assert.Equal(new[] { "idCardFront", "continuingEducationProof" }, refusal.Extensions!["missingDocumentTypes"]);
        Assert.Equal("请补齐以下材料后再提交：身份证人像面、继续教育证明", refusal.Message);
    }

    [Fact]
    public void Configuration_decides_what_is_required()
    {
        var policy = DocumentPolicy.NothingRequired with
        {
            Required = new Dictionary<RequirementKey, IReadOnlyList<DocumentType>> { [RequirementKey.Cancellation] = [DocumentType.SignedForm] },
        };

        Given(Created(), Attached(DocumentType.SignedForm)).When(Submit(policy)).ThenSingle<ApplicationEvent.Submitted>();
        Given(Created()).When(Submit(DocumentPolicy.NothingRequired)).ThenSingle<ApplicationEvent.Submitted>();
    }

    // ── Attaching, removing, evidence ────────────────────────────────────────────────────

    [Fact]
    public void The_submission_records_exactly_the_documents_attached_with_their_hashes()
    {
        var front = Attached(DocumentType.IdCardFront, "doc-front");
        var back = Attached(DocumentType.IdCardBack, "doc-back");
        var form = Attached(DocumentType.SignedForm, "doc-form");
        var extra = Attached(DocumentType.Other, "doc-extra");

        var submitted = Given(Created(), front, back, extra, Removed(DocumentType.Other, "doc-extra"), form)
            .When(Submit())
            .ThenSingle<ApplicationEvent.Submitted>();

        Assert.Equal([front.Document.ToReference(), back.Document.ToReference(), form.Document.ToReference()], submitted.Documents);
        Assert.Equal(Sha("doc-front"), submitted.Documents![0].Sha256);
    }

    [Fact]
    public void A_resubmission_may_replace_a_document_and_the_one_reviewers_saw_is_kept_as_evidence()
    {
        var front = Attached(DocumentType.IdCardFront, "doc-front");
        var back = Attached(DocumentType.IdCardBack, "doc-back");
        var form = Attached(DocumentType.SignedForm, "doc-form");
        var newFront = Attached(DocumentType.IdCardFront, "doc-front-2");
        ApplicationEvent[] history = [Created(), front, back, form, SubmittedWith(1, front, back, form), CityReturned("身份证不清晰")];

        var removed = Given(history).When(new ApplicationCommand.RemoveDocument("doc-front", Applicant, Now)).ThenSingle<ApplicationEvent.DocumentRemoved>();
        var state = StateAfter([.. history, removed, newFront]);
        var resubmitted = ApplicationDecider.Decide(Submit(), state).Events.OfType<ApplicationEvent.Submitted>().Single();

        Assert.Equal(["doc-back", "doc-form", "doc-front-2"], resubmitted.Documents!.Select(d => d.DocumentId));
        Assert.Equal(2, resubmitted.Round);
        Assert.Equal("doc-front", Assert.Single(state.EarlierDocuments).DocumentId);
        Assert.Equal(1, state.Document("doc-front")!.SubmittedInRound);
        Assert.Empty(ApplicationReactions.For(removed, StateAfter([.. history, removed]), Settings));
    }

    [Fact]
    public void Removing_a_document_no_reviewer_saw_deletes_its_bytes()
    {
        ApplicationEvent[] history = [Created(), Attached(DocumentType.IdCardFront)];

        var removed = Given(history).When(new ApplicationCommand.RemoveDocument(DocumentId, Applicant, Now)).ThenSingle<ApplicationEvent.DocumentRemoved>();
        var after = StateAfter([.. history, removed]);

        Assert.Null(after.Document(DocumentId));
        Assert.Equal([new SideEffect.DeleteDocument(ApplicationNumber, DocumentId)], ApplicationReactions.For(removed, after, Settings));
    }

    [Fact]
    public void Deleting_a_draft_deletes_all_its_stored_bytes()
    {
        var deleted = new ApplicationEvent.Deleted(Ref(Applicant), Now);
        Assert.Equal([new SideEffect.DeleteAllDocuments(ApplicationNumber)],
            ApplicationReactions.For(deleted, StateAfter(Created(), Attached(DocumentType.IdCardFront), deleted), Settings));
    }

    [Fact]
    public void Documents_change_neither_lists_nor_anything_else_outside_the_application()
    {
        var before = StateAfter(Created());
        Assert.Empty(ApplicationReactions.ForTransition(before, [Attached(DocumentType.IdCardFront)], Settings));
    }

    [Fact]
    public void A_submitted_document_is_immutable_until_the_application_is_returned()
    {
        ApplicationEvent[] history = [Created(), Attached(DocumentType.IdCardFront), Submitted()];

        Given(history).When(new ApplicationCommand.RemoveDocument(DocumentId, Applicant, Now)).ThenRefused(RefusalKind.Conflict, "application_not_editable");
        Given(history).When(Attach(Upload(DocumentType.Other, "doc-2"))).ThenRefused(RefusalKind.Conflict, "application_not_editable");
    }

    [Fact]
    public void Only_the_filer_attaches_and_an_invisible_application_does_not_exist()
    {
        Given(Created()).When(Attach(Upload(DocumentType.IdCardFront), Enterprise)).ThenRefused(RefusalKind.Forbidden, "not_applicant");
        Given(Created()).When(Attach(Upload(DocumentType.IdCardFront), OtherApplicant)).ThenRefused(RefusalKind.NotFound, "application_not_found");
    }

    [Fact]
    public void Committing_the_same_file_again_changes_nothing_even_after_submission()
    {
        Given(Created(), Attached(DocumentType.IdCardFront), Submitted()).When(Attach(Upload(DocumentType.IdCardFront))).ThenNothingHappens();
    }

    [Fact]
    public void An_application_holds_a_bounded_number_of_documents_uploads_in_flight_included()
    {
        var policy = DocumentPolicy.Default with { MaxDocuments = 2 };
        var state = StateAfter(Created(), Attached(DocumentType.IdCardFront), Attached(DocumentType.IdCardBack, "doc-back"));

        var refusal = ApplicationDecider.Decide(new ApplicationCommand.AttachDocument(Upload(DocumentType.Other, "doc-3"), policy, Applicant, Now), state).Refusal;

        Assert.Equal((RefusalKind.RuleViolated, "too_many_documents"), (refusal?.Kind, refusal?.Code));
        Assert.Null(DocumentRules.CheckRoom(StateAfter(Created(), Attached(DocumentType.IdCardFront)), policy));
        Assert.NotNull(DocumentRules.CheckRoom(StateAfter(Created(), Attached(DocumentType.IdCardFront)), policy, inFlight: 1));
    }

    [Fact]
    public void Removing_an_unknown_document_is_not_found()
    {
        Given(Created()).When(new ApplicationCommand.RemoveDocument("nope", Applicant, Now)).ThenRefused(RefusalKind.NotFound, "document_not_found");
    }

    // ── Who reads them ───────────────────────────────────────────────────────────────────

    [Fact]
    public void Documents_are_read_by_the_filer_the_holder_and_the_reviewers_of_the_current_stage_only()
    {
        var draft = StateAfter(Created(by: Enterprise));
        var atCity = StateAfter(Created(), Submitted());
        var atProvince = StateAfter(Created(), Submitted(), CityApproved());

        Assert.True(AccessRules.CanReadDocuments(Enterprise, draft));
        Assert.True(AccessRules.CanReadDocuments(Applicant, draft));
        Assert.False(AccessRules.CanReadDocuments(CityReviewer, draft));
        Assert.True(AccessRules.CanReadDocuments(CityReviewer, atCity));
        Assert.False(AccessRules.CanReadDocuments(ForeignCityReviewer, atCity));
        Assert.False(AccessRules.CanReadDocuments(ProvinceReviewer, atCity));
        Assert.False(AccessRules.CanReadDocuments(CityReviewer, atProvince));
        Assert.True(AccessRules.CanReadDocuments(ProvinceReviewer, atProvince));
        Assert.False(AccessRules.CanReadDocuments(Enterprise, atProvince));
        Assert.False(AccessRules.CanReadDocuments(new Actor(Role.Admin, "admin", "管理员"), atProvince));
    }
}
