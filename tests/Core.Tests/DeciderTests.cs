using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Certificates;
using static FuncRegistry.Core.Tests.DeciderSpec;
using static FuncRegistry.Core.Tests.History;
using static FuncRegistry.Core.Tests.TestData;

namespace FuncRegistry.Core.Tests;

/// <summary>The rules of DOMAIN.md beyond the bare table: certificate rules, reasons, rounds, who may act, repeats.</summary>
public class DeciderTests
{
    private static ApplicationCommand.Create Create(ApplicationKind kind, ApplicationDetails details, Certificate? certificate = null, Actor? by = null, DateTimeOffset? at = null,
        ExtensionWindow? window = null) =>
        new(ApplicationNumber, kind, certificate ?? ValidCertificate, details, window ?? ExtensionWindow.Default, by ?? Applicant, at ?? Now);

    // Documents have their own tests (DocumentDeciderTests): here no type is required.
    private static ApplicationCommand.Submit Submit(Certificate? certificate = null, Actor? by = null, DateTimeOffset? at = null) =>
        new(certificate ?? ValidCertificate, FuncRegistry.Core.Documents.DocumentPolicy.NothingRequired, ExtensionWindow.Default, by ?? Applicant, at ?? Now, ReviewOnly,
            CommitmentVersion: Accepted(ApplicationKind.Cancellation));

    private static ApplicationDetails EmployerChange { get; } =
        new(Phone, Changes: new CertificateChange(Employer: "兰州新区建设有限公司", EmployerCode: "91350100M000100Y43"));

    // ── Creating ────────────────────────────────────────────────────────────────────────

    [Fact]
    public void Holder_creates_a_draft_that_records_the_certificate_as_filed()
    {
        var state = Given()
            .When(Create(ApplicationKind.Cancellation, CancellationDetails))
            .Then(Created());

        Assert.Equal(ApplicationStatus.Draft, state.Status);
        Assert.Equal(Ref(Applicant), state.FiledBy);
        Assert.Equal(ValidCertificate.CityCode, state.CityCode);
        Assert.Equal(ValidCertificate.ValidUntil, state.CertificateValidUntil);
        Assert.Equal(0, state.Round);
    }

    [Fact]
    public void Details_are_stored_normalised()
    {
        var created = Given()
            .When(Create(ApplicationKind.Cancellation, new ApplicationDetails("+8613812345678", Reason: "  本人已调离施工现场岗位  ")))
            .ThenSingle<ApplicationEvent.Created>();

        Assert.Equal(CancellationDetails, created.Details);
    }

    [Fact]
    public void Enterprise_creates_for_a_certificate_it_employs()
    {
        var created = Given()
            .When(Create(ApplicationKind.Extension, new ApplicationDetails(Phone), by: Enterprise))
            .ThenSingle<ApplicationEvent.Created>();

        Assert.Equal(Ref(Enterprise), created.By);
    }

    [Theory]
    [MemberData(nameof(Strangers))]
    public void Nobody_else_creates_for_a_certificate(string who)
    {
        Given()
            .When(Create(ApplicationKind.Cancellation, CancellationDetails, by: Stranger(who)))
            .ThenRefused(RefusalKind.Forbidden, "certificate_not_yours");
    }

    public static TheoryData<string> Strangers() => ["other applicant", "other enterprise", "city reviewer", "province reviewer"];

    private static Actor Stranger(string who) => who switch
    {
        "other applicant" => OtherApplicant,
        "other enterprise" => new Actor(Role.Enterprise, "ent-0002", "别家公司", Org: "91350100M000100Y43"),
        "city reviewer" => CityReviewer,
        _ => ProvinceReviewer,
    };

    [Theory]
    [InlineData(CertificateStatus.Cancelled)]
    [InlineData(CertificateStatus.Voided)]
    public void Only_a_valid_certificate_can_be_applied_for(CertificateStatus status)
    {
        Given()
            .When(Create(ApplicationKind.Extension, new ApplicationDetails(Phone), ValidCertificate with { Status = status }))
            .ThenRefused(RefusalKind.RuleViolated, "certificate_not_valid");
    }

    [Theory]
    [InlineData(CertificateStatus.Cancelled)]
    [InlineData(CertificateStatus.Voided)]
    public void Draft_of_a_certificate_that_stopped_being_valid_cannot_be_submitted(CertificateStatus status)
    {
        Given(Created())
            .When(Submit(ValidCertificate with { Status = status }))
            .ThenRefused(RefusalKind.RuleViolated, "certificate_not_valid");
    }

    [Fact]
    public void Invalid_details_are_all_reported_at_once()
    {
        var refusal = Given()
            .When(Create(ApplicationKind.Cancellation, new ApplicationDetails("12345", ReissueReason: ReissueReason.Lost)))
            .ThenRefused(RefusalKind.Invalid, "validation_failed");

        Assert.Equal(new[] { "notificationPhone", "reason", "reissueReason" }, refusal.Errors!.Keys.Order());
    }

    // ── Change: one item at a time, employer changes 3 months apart ─────────────────────

    [Theory]
    [MemberData(nameof(SingleChanges))]
    public void Change_of_one_item_is_accepted(CertificateChange change)
    {
        var created = Given()
            .When(Create(ApplicationKind.Change, new ApplicationDetails(Phone, Changes: change)))
            .ThenSingle<ApplicationEvent.Created>();

        Assert.Equal(change, created.Details.Changes);
    }

    public static TheoryData<CertificateChange> SingleChanges() =>
    [
        new CertificateChange(HolderName: "张叁"),
        new CertificateChange(HolderIdNumber: "440524188001010014"),
        new CertificateChange(Employer: "兰州新区建设有限公司", EmployerCode: "91350100M000100Y43"),
    ];

    [Theory]
    [MemberData(nameof(DoubleChanges))]
    public void Change_of_two_items_at_once_is_invalid(CertificateChange change)
    {
        var refusal = Given()
            .When(Create(ApplicationKind.Change, new ApplicationDetails(Phone, Changes: change)))
            .ThenRefused(RefusalKind.Invalid, "validation_failed");

        Assert.Contains("changes", refusal.Errors!.Keys);
    }

    public static TheoryData<CertificateChange> DoubleChanges() =>
    [
        new CertificateChange(HolderName: "张叁", HolderIdNumber: "440524188001010014"),
        new CertificateChange(HolderName: "张叁", Employer: "兰州新区建设有限公司", EmployerCode: "91350100M000100Y43"),
        new CertificateChange(HolderIdNumber: "440524188001010014", EmployerCode: "91350100M000100Y43"),
    ];

    [Fact]
    public void Change_of_nothing_is_invalid()
    {
        Given()
            .When(Create(ApplicationKind.Change, new ApplicationDetails(Phone, Changes: new CertificateChange())))
            .ThenRefused(RefusalKind.Invalid, "validation_failed");
    }

    [Fact]
    public void Change_to_the_same_name_is_invalid()
    {
        var refusal = Given()
            .When(Create(ApplicationKind.Change, new ApplicationDetails(Phone, Changes: new CertificateChange(HolderName: ValidCertificate.HolderName))))
            .ThenRefused(RefusalKind.Invalid);

        Assert.Contains("changes.holderName", refusal.Errors!.Keys);
    }

    [Fact]
    public void Employer_change_two_months_after_the_last_is_refused_as_too_soon()
    {
        Given()
            .When(Create(ApplicationKind.Change, EmployerChange, ValidCertificate with { EmployerChangedOn = Today.AddMonths(-2) }))
            .ThenRefused(RefusalKind.RuleViolated, "employer_change_too_soon");
    }

    [Fact]
    public void Employer_change_one_day_short_of_three_months_is_refused_as_too_soon()
    {
        Given()
            .When(Create(ApplicationKind.Change, EmployerChange, ValidCertificate with { EmployerChangedOn = Today.AddMonths(-3).AddDays(1) }))
            .ThenRefused(RefusalKind.RuleViolated, "employer_change_too_soon");
    }

    [Fact]
    public void Employer_change_three_months_after_the_last_is_accepted()
    {
        Given()
            .When(Create(ApplicationKind.Change, EmployerChange, ValidCertificate with { EmployerChangedOn = Today.AddMonths(-3) }))
            .ThenSingle<ApplicationEvent.Created>();
    }

    [Fact]
    public void Name_change_soon_after_an_employer_change_is_accepted()
    {
        Given()
            .When(Create(ApplicationKind.Change, DetailsFor(ApplicationKind.Change), ValidCertificate with { EmployerChangedOn = Today.AddDays(-1) }))
            .ThenSingle<ApplicationEvent.Created>();
    }

    [Fact]
    public void Name_change_sent_with_empty_employer_fields_is_not_an_employer_change()
    {
        var nameWithEmptyEmployer = new ApplicationDetails(Phone, Changes: new CertificateChange(HolderName: "张叁", Employer: "", EmployerCode: " "));
        var created = Given()
            .When(Create(ApplicationKind.Change, nameWithEmptyEmployer, ValidCertificate with { EmployerChangedOn = Today.AddDays(-1) }))
            .ThenSingle<ApplicationEvent.Created>();

        Assert.Equal(new CertificateChange(HolderName: "张叁"), created.Details.Changes);
    }

    [Fact]
    public void An_enterprise_that_no_longer_employs_the_holder_cannot_submit_or_edit_its_draft()
    {
        var movedOn = ValidCertificate with { EmployerCode = "91350100M000100Y43", Employer = "兰州新区建设有限公司" };
        Given(Created(by: Enterprise))
            .When(Submit(movedOn, by: Enterprise))
            .ThenRefused(RefusalKind.Forbidden, "certificate_not_yours");
        Given(Created(by: Enterprise))
            .When(new ApplicationCommand.Edit(CancellationDetails, movedOn, Enterprise, Now))
            .ThenRefused(RefusalKind.Forbidden, "certificate_not_yours");
    }

    [Fact]
    public void Employer_change_is_checked_again_at_submission()
    {
        Given(Created(ApplicationKind.Change, EmployerChange))
            .When(Submit(ValidCertificate with { EmployerChangedOn = Today.AddMonths(-1) }))
            .ThenRefused(RefusalKind.RuleViolated, "employer_change_too_soon");
    }

    [Fact]
    public void Three_months_are_counted_in_Beijing_dates()
    {
        // 2026-11-22 17:00 UTC is already 23 November in Beijing: exactly three months after 23 August.
        var at = new DateTimeOffset(2026, 11, 22, 17, 0, 0, TimeSpan.Zero);
        Given()
            .When(Create(ApplicationKind.Change, EmployerChange, ValidCertificate with { EmployerChangedOn = new DateOnly(2026, 8, 23) }, at: at))
            .ThenSingle<ApplicationEvent.Created>();
    }

    // ── Drafts: editable and deletable; submitted: read-only ────────────────────────────

    [Fact]
    public void Draft_can_be_edited()
    {
        var details = CancellationDetails with { NotificationPhone = "13900001111" };
        var state = Given(Created())
            .When(new ApplicationCommand.Edit(details, ValidCertificate, Applicant, Now))
            .Then(Edited(details));

        Assert.Equal(details, state.Details);
        Assert.Equal(ApplicationStatus.Draft, state.Status);
    }

    [Fact]
    public void Editing_without_changing_anything_records_nothing()
    {
        Given(Created())
            .When(new ApplicationCommand.Edit(CancellationDetails, ValidCertificate, Applicant, Now))
            .ThenNothingHappens();
    }

    [Fact]
    public void Edit_with_invalid_details_is_refused()
    {
        Given(Created())
            .When(new ApplicationCommand.Edit(CancellationDetails with { Reason = " " }, ValidCertificate, Applicant, Now))
            .ThenRefused(RefusalKind.Invalid, "validation_failed");
    }

    [Fact]
    public void Draft_can_be_deleted_and_then_no_longer_exists()
    {
        var state = Given(Created())
            .When(new ApplicationCommand.Delete(Applicant, Now))
            .Then(new ApplicationEvent.Deleted(Ref(Applicant), Now));

        Assert.Equal(ApplicationStatus.None, state.Status);
        Assert.Equal(RefusalKind.NotFound, ApplicationDecider.Decide(Submit(), state).Refusal?.Kind);
    }

    [Theory]
    [InlineData(ApplicationStatus.PendingCityReview)]
    [InlineData(ApplicationStatus.PendingProvinceReview)]
    [InlineData(ApplicationStatus.Approved)]
    [InlineData(ApplicationStatus.Withdrawn)]
    public void Submitted_application_cannot_be_edited(ApplicationStatus status)
    {
        Given(LeadingTo(status))
            .When(new ApplicationCommand.Edit(CancellationDetails with { NotificationPhone = "13900001111" }, ValidCertificate, Applicant, Now))
            .ThenRefused(RefusalKind.Conflict, "application_not_editable");
    }

    [Fact]
    public void Submitted_application_cannot_be_deleted_only_withdrawn()
    {
        Given(Created(), Submitted())
            .When(new ApplicationCommand.Delete(Applicant, Now))
            .ThenRefused(RefusalKind.Conflict, "application_not_draft");
    }

    [Fact]
    public void Draft_is_deleted_not_withdrawn()
    {
        Given(Created())
            .When(new ApplicationCommand.Withdraw(Applicant, Now))
            .ThenRefused(RefusalKind.Conflict, "draft_cannot_be_withdrawn");
    }

    // ── Submission, returns and resubmission ────────────────────────────────────────────

    [Fact]
    public void Submitted_draft_waits_for_city_review_in_round_one()
    {
        var state = Given(Created())
            .When(Submit())
            .Then(Submitted(round: 1));

        Assert.Equal(ApplicationStatus.PendingCityReview, state.Status);
        Assert.Equal(1, state.Round);
        Assert.Equal(Now, state.SubmittedAt);
    }

    [Fact]
    public void City_return_carries_the_trimmed_reason()
    {
        Given(Created(), Submitted())
            .When(new ApplicationCommand.ReturnAtCity("  材料不清晰  ", CityReviewer, Now))
            .Then(CityReturned("材料不清晰"));
    }

    [Fact]
    public void A_return_lists_each_field_to_correct_and_each_document_to_supply_again()
    {
        var toFix = new Corrections(["changes.holderName", "notificationPhone", "notificationPhone"], [Documents.DocumentType.IdCardFront]);
        var returned = Given(Created(ApplicationKind.Change), Submitted())
            .When(new ApplicationCommand.ReturnAtCity("姓名与身份证不符，身份证照片不清晰", CityReviewer, Now, toFix))
            .ThenSingle<ApplicationEvent.CityReviewReturned>();

        Assert.Equal(["changes.holderName", "notificationPhone"], returned.ToFix!.Fields);
        Assert.Equal([Documents.DocumentType.IdCardFront], returned.ToFix.DocumentTypes);
    }

    [Fact]
    public void A_return_may_ask_to_correct_only_fields_the_applicant_can_edit_in_that_kind()
    {
        var refusal = Given(Created(ApplicationKind.Cancellation), Submitted())
            .When(new ApplicationCommand.ReturnAtCity("请修改", CityReviewer, Now, new Corrections(["changes.holderName", "status"], [])))
            .ThenRefused(RefusalKind.Invalid, "validation_failed");

        Assert.Contains("toFix.fields", refusal.Errors!.Keys);
    }

    [Fact]
    public void Someone_who_may_not_review_the_stage_is_refused_as_such_whatever_the_return_lists()
    {
        Given(Created(), Submitted())
            .When(new ApplicationCommand.ReturnAtCity("请修改", ProvinceReviewer, Now, new Corrections([" "], [])))
            .ThenRefused(RefusalKind.Forbidden, "not_reviewer_of_stage");
    }

    [Fact]
    public void The_same_return_sent_again_with_its_items_in_another_order_changes_nothing()
    {
        var first = new ApplicationEvent.CityReviewReturned(ReturnReason, Ref(CityReviewer), Now, new Corrections(["notificationPhone", "reason"], []));
        Given(Created(), Submitted(), first)
            .When(new ApplicationCommand.ReturnAtCity(ReturnReason, CityReviewer, Now, new Corrections(["reason", "notificationPhone"], [])))
            .ThenNothingHappens();
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void City_return_without_a_reason_is_invalid(string reason)
    {
        var refusal = Given(Created(), Submitted())
            .When(new ApplicationCommand.ReturnAtCity(reason, CityReviewer, Now))
            .ThenRefused(RefusalKind.Invalid, "validation_failed");

        Assert.Contains("reason", refusal.Errors!.Keys);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Province_return_without_a_reason_is_invalid(string reason)
    {
        var refusal = Given(Created(), Submitted(), CityApproved())
            .When(new ApplicationCommand.ReturnAtProvince(reason, ProvinceReviewer, Now))
            .ThenRefused(RefusalKind.Invalid, "validation_failed");

        Assert.Contains("reason", refusal.Errors!.Keys);
    }

    [Fact]
    public void Return_reason_longer_than_500_characters_is_invalid()
    {
        Given(Created(), Submitted())
            .When(new ApplicationCommand.ReturnAtCity(new string('缺', ApplicationDetailsRules.MaxReasonLength + 1), CityReviewer, Now))
            .ThenRefused(RefusalKind.Invalid, "validation_failed");
    }

    [Fact]
    public void Returned_application_can_be_resubmitted_and_restarts_at_city_review()
    {
        var details = CancellationDetails with { Reason = "本人已调离施工现场岗位，附单位证明" };
        var state = Given(Created(), Submitted(), CityReturned(), Edited(details))
            .When(Submit())
            .Then(Submitted(round: 2));

        Assert.Equal(ApplicationStatus.PendingCityReview, state.Status);
        Assert.Equal(2, state.Round);
    }

    [Fact]
    public void Application_returned_by_the_province_restarts_at_city_review()
    {
        var state = Given(Created(), Submitted(), CityApproved(), ProvinceReturned())
            .When(Submit())
            .Then(Submitted(round: 2));

        Assert.Equal(ApplicationStatus.PendingCityReview, state.Status);
    }

    [Fact]
    public void Every_resubmission_starts_a_new_round()
    {
        var state = Given(Created(), Submitted(1), CityReturned(), Submitted(2), CityApproved(), ProvinceReturned())
            .When(Submit())
            .Then(Submitted(round: 3));

        Assert.Equal(3, state.Round);
    }

    [Fact]
    public void Approved_at_both_levels_the_application_takes_effect()
    {
        var state = Given(Created(), Submitted(), CityApproved())
            .When(new ApplicationCommand.ApproveAtProvince(ProvinceReviewer, Now))
            .Then(ProvinceApproved());

        Assert.Equal(ApplicationStatus.Approved, state.Status);
        Assert.True(state.Status.IsFinal());
    }

    [Theory]
    [InlineData(ApplicationStatus.PendingCityReview)]
    [InlineData(ApplicationStatus.CityReturned)]
    [InlineData(ApplicationStatus.PendingProvinceReview)]
    [InlineData(ApplicationStatus.ProvinceReturned)]
    public void Applicant_can_withdraw_an_open_application(ApplicationStatus status)
    {
        var state = Given(LeadingTo(status))
            .When(new ApplicationCommand.Withdraw(Applicant, Now))
            .Then(Withdrawn());

        Assert.Equal(ApplicationStatus.Withdrawn, state.Status);
    }

    [Fact]
    public void Approved_application_cannot_be_withdrawn()
    {
        Given(LeadingTo(ApplicationStatus.Approved))
            .When(new ApplicationCommand.Withdraw(Applicant, Now))
            .ThenRefused(RefusalKind.Conflict, "application_closed");
    }

    // ── Who may act ─────────────────────────────────────────────────────────────────────

    [Fact]
    public void City_reviewer_of_another_city_does_not_even_learn_the_application_exists()
    {
        Given(Created(), Submitted())
            .When(new ApplicationCommand.ApproveAtCity(ForeignCityReviewer, Now))
            .ThenRefused(RefusalKind.NotFound, "application_not_found");
    }

    [Fact]
    public void Province_reviewer_cannot_decide_the_city_stage()
    {
        Given(Created(), Submitted())
            .When(new ApplicationCommand.ApproveAtCity(ProvinceReviewer, Now))
            .ThenRefused(RefusalKind.Forbidden, "not_reviewer_of_stage");
    }

    [Fact]
    public void City_reviewer_cannot_decide_the_province_stage()
    {
        Given(Created(), Submitted(), CityApproved())
            .When(new ApplicationCommand.ApproveAtProvince(CityReviewer, Now))
            .ThenRefused(RefusalKind.Forbidden, "not_reviewer_of_stage");
    }

    [Fact]
    public void Applicant_cannot_review_their_own_application()
    {
        Given(Created(), Submitted())
            .When(new ApplicationCommand.ApproveAtCity(Applicant, Now))
            .ThenRefused(RefusalKind.Forbidden, "not_reviewer_of_stage");
    }

    [Fact]
    public void Who_may_act_is_checked_before_the_state()
    {
        // A province reviewer approving at city level while the application is at the province: 403, not 409.
        Given(Created(), Submitted(), CityApproved())
            .When(new ApplicationCommand.ApproveAtCity(ProvinceReviewer, Now))
            .ThenRefused(RefusalKind.Forbidden, "not_reviewer_of_stage");
    }

    [Fact]
    public void Applicant_who_is_not_the_holder_does_not_see_the_application()
    {
        Given(Created())
            .When(Submit(by: OtherApplicant))
            .ThenRefused(RefusalKind.NotFound, "application_not_found");
    }

    [Fact]
    public void Holder_sees_but_cannot_submit_an_application_their_enterprise_filed()
    {
        Given(Created(by: Enterprise))
            .When(Submit(by: Applicant))
            .ThenRefused(RefusalKind.Forbidden, "not_applicant");
    }

    [Fact]
    public void Enterprise_sees_but_cannot_withdraw_an_application_its_employee_filed()
    {
        Given(Created(), Submitted())
            .When(new ApplicationCommand.Withdraw(Enterprise, Now))
            .ThenRefused(RefusalKind.Forbidden, "not_applicant");
    }

    [Fact]
    public void Enterprise_that_filed_submits_and_withdraws()
    {
        Given(Created(by: Enterprise))
            .When(Submit(by: Enterprise))
            .Then(Submitted(by: Enterprise));
        Given(Created(by: Enterprise), Submitted(by: Enterprise))
            .When(new ApplicationCommand.Withdraw(Enterprise, Now))
            .Then(Withdrawn(by: Enterprise));
    }

    [Fact]
    public void Reviewer_cannot_edit_an_application()
    {
        Given(Created(), Submitted(), CityReturned())
            .When(new ApplicationCommand.Edit(CancellationDetails with { NotificationPhone = "13900001111" }, ValidCertificate, CityReviewer, Now))
            .ThenRefused(RefusalKind.Forbidden, "not_applicant");
    }

    // ── Repeats and races: one decision wins, a repeat is harmless ───────────────────────

    [Fact]
    public void Repeated_city_approval_by_the_same_reviewer_records_nothing()
    {
        Given(Created(), Submitted(), CityApproved())
            .When(new ApplicationCommand.ApproveAtCity(CityReviewer, Now.AddMinutes(1)))
            .ThenNothingHappens();
    }

    [Fact]
    public void Repeated_return_with_the_same_reason_by_the_same_reviewer_records_nothing()
    {
        Given(Created(), Submitted(), CityApproved(), ProvinceReturned())
            .When(new ApplicationCommand.ReturnAtProvince(ReturnReason, ProvinceReviewer, Now.AddMinutes(1)))
            .ThenNothingHappens();
    }

    [Fact]
    public void Repeated_province_approval_by_the_same_reviewer_records_nothing()
    {
        Given(LeadingTo(ApplicationStatus.Approved))
            .When(new ApplicationCommand.ApproveAtProvince(ProvinceReviewer, Now.AddMinutes(1)))
            .ThenNothingHappens();
    }

    [Fact]
    public void Return_with_another_reason_after_a_return_is_a_conflict()
    {
        Given(Created(), Submitted(), CityReturned())
            .When(new ApplicationCommand.ReturnAtCity("照片模糊", CityReviewer, Now))
            .ThenRefused(RefusalKind.Conflict, "not_in_review_stage");
    }

    [Fact]
    public void Same_city_decision_by_a_second_reviewer_after_the_first_is_a_conflict()
    {
        Given(Created(), Submitted(), CityApproved(by: CityReviewer))
            .When(new ApplicationCommand.ApproveAtCity(CityColleague, Now))
            .ThenRefused(RefusalKind.Conflict, "not_in_review_stage");
    }

    [Fact]
    public void Same_province_decision_by_a_second_reviewer_after_the_first_is_a_conflict()
    {
        Given(LeadingTo(ApplicationStatus.Approved))
            .When(new ApplicationCommand.ApproveAtProvince(ProvinceColleague, Now))
            .ThenRefused(RefusalKind.Conflict, "not_in_review_stage");
    }

    [Fact]
    public void Opposite_decision_after_the_first_is_a_conflict()
    {
        Given(Created(), Submitted(), CityApproved())
            .When(new ApplicationCommand.ReturnAtCity(ReturnReason, CityReviewer, Now))
            .ThenRefused(RefusalKind.Conflict, "not_in_review_stage");
    }

    [Fact]
    public void Return_repeated_after_the_applicant_resubmitted_and_withdrew_is_a_conflict()
    {
        // The earlier return is no longer the last word, so the repeat is not recognised as one.
        Given(Created(), Submitted(), CityReturned(), Submitted(2), Withdrawn())
            .When(new ApplicationCommand.ReturnAtCity(ReturnReason, CityReviewer, Now))
            .ThenRefused(RefusalKind.Conflict, "not_in_review_stage");
    }

    [Fact]
    public void Repeated_withdrawal_records_nothing()
    {
        Given(Created(), Submitted(), Withdrawn())
            .When(new ApplicationCommand.Withdraw(Applicant, Now.AddMinutes(1)))
            .ThenNothingHappens();
    }

    // ── Evolve ──────────────────────────────────────────────────────────────────────────

    [Fact]
    public void Evolve_counts_versions_and_remembers_when_the_status_last_changed()
    {
        var later = Now.AddHours(2);
        var state = ApplicationState.From([Created(), Submitted(), new ApplicationEvent.Edited(CancellationDetails, Ref(Applicant), later)]);

        Assert.Equal(3, state.Version);
        Assert.Equal(later, state.UpdatedAt);
        Assert.Equal(Now, state.StatusSince);
    }

    [Fact]
    public void Return_with_null_reason_is_invalid_not_an_approval() =>
        Given(Created(), Submitted())
            .When(new ApplicationCommand.ReturnAtCity(null!, CityReviewer, Now))
            .ThenRefused(RefusalKind.Invalid, "validation_failed");
}
