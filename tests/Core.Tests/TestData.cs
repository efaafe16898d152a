using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Certificates;
using FuncRegistry.Core.Documents;
using FuncRegistry.Core.Notifications;

namespace FuncRegistry.Core.Tests;

/// <summary>
/// One certificate, the people around it and a fixed clock: a valid 施工员 certificate of
/// 兰州市 (620100), held by 11010519491231002X and employed by 914403001922038216.
/// </summary>
internal static class TestData
{
    /// <summary>10:00 Beijing time on 23 November 2026.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(8));
    public static readonly DateOnly Today = new(2026, 11, 23);

    // Named so that `using static TestData` does not clash with System.ApplicationId or the Certificate type.
    public const string ApplicationNumber = "SQ20261123000042";
    public const string HolderIdNumber = "11010519491231002X";
    public const string EmployerCode = "914403001922038216";
    public const string Phone = "13812345678";
    public const string CityCode = "620100";
    public const string ReturnReason = "材料不清晰";

    public static Certificate ValidCertificate { get; } = new()
    {
        Number = "甘建安C（2023）0000123",
        HolderName = "张三",
        HolderIdNumber = HolderIdNumber,
        Post = "施工员",
        Specialty = "土建施工",
        Employer = "甘肃建工集团有限公司",
        EmployerCode = EmployerCode,
        CityCode = CityCode,
        IssuedOn = new(2023, 12, 1),
        ValidUntil = new(2026, 12, 31),
    };

    public static Actor Applicant { get; } = new(Role.Applicant, HolderIdNumber, "张三");
    public static Actor OtherApplicant { get; } = new(Role.Applicant, "440524188001010014", "李四");
    public static Actor Enterprise { get; } = new(Role.Enterprise, "ent-0001", "甘肃建工集团有限公司", Org: EmployerCode);
    public static Actor CityReviewer { get; } = new(Role.CityReviewer, "city-620100-1", "王审核", City: "620100");
    public static Actor CityColleague { get; } = new(Role.CityReviewer, "city-620100-2", "赵审核", City: "620100");
    public static Actor ForeignCityReviewer { get; } = new(Role.CityReviewer, "city-620200-1", "钱审核", City: "620200");
    public static Actor ProvinceReviewer { get; } = new(Role.ProvinceReviewer, "prov-1", "孙审核");
    public static Actor ProvinceColleague { get; } = new(Role.ProvinceReviewer, "prov-2", "周审核");

    public static ReactionSettings Settings { get; } = new(new SmsComposer("甘肃住建"));

    /// <summary>Details of a cancellation, already normalised as the decider stores them.</summary>
    /// <summary>Today's review for every kind: the city, then the province, nobody's confirmation first (the default asks the other party to confirm a cancellation).</summary>
    public static WorkflowPolicy ReviewOnly { get; } = WorkflowPolicy.Default with
    {
        Kinds = WorkflowPolicy.Default.Kinds.ToDictionary(k => k.Key, k => k.Value with { ConfirmedByOtherParty = false }),
    };

    public static ApplicationDetails CancellationDetails { get; } = new(Phone, Reason: "本人已调离施工现场岗位");

    public static ApplicationDetails DetailsFor(ApplicationKind kind) => kind switch
    {
        ApplicationKind.Change => new(Phone, Changes: new CertificateChange(HolderName: "张叁")),
        ApplicationKind.Reissue => new(Phone, ReissueReason: ReissueReason.Lost),
        ApplicationKind.Cancellation => CancellationDetails,
        ApplicationKind.Transfer => new(Phone, Changes: new CertificateChange(Employer: "嘉峪关宏达建设工程有限公司", EmployerCode: "91620200MA71YQ3N4K", CityCode: "620200")),
        _ => new(Phone),
    };

    public static ActorRef Ref(Actor actor) => ActorRef.Of(actor);

    /// <summary>The version of the kind's commitment in force: what an applicant accepts at submission.</summary>
    public static string Accepted(ApplicationKind kind = ApplicationKind.Cancellation) => Commitments.Current(kind).Version;
}

/// <summary>Events of an application's history, with sensible defaults, all at <see cref="TestData.Now"/>.</summary>
internal static class History
{
    public static ApplicationEvent.Created Created(
        ApplicationKind kind = ApplicationKind.Cancellation, ApplicationDetails? details = null, Actor? by = null, Certificate? certificate = null)
    {
        var c = certificate ?? TestData.ValidCertificate;
        return new(TestData.ApplicationNumber, kind, c.Number, c.CityCode, c.HolderIdNumber, c.HolderName, c.EmployerCode, c.ValidUntil,
            details ?? TestData.DetailsFor(kind), TestData.Ref(by ?? TestData.Applicant), TestData.Now);
    }

    public static ApplicationEvent.Edited Edited(ApplicationDetails details, Actor? by = null) =>
        new(details, TestData.Ref(by ?? TestData.Applicant), TestData.Now);

    public static ApplicationEvent.Submitted Submitted(int round = 1, Actor? by = null, ApplicationKind kind = ApplicationKind.Cancellation) =>
        new(round, TestData.ValidCertificate.ValidUntil, TestData.Ref(by ?? TestData.Applicant), TestData.Now, CommitmentVersion: TestData.Accepted(kind));

    public static ApplicationEvent.ConfirmationGiven Confirmed(Actor? by = null) => new(TestData.Ref(by ?? TestData.Enterprise), TestData.Now);

    public static ApplicationEvent.Withdrawn Withdrawn(Actor? by = null) => new(TestData.Ref(by ?? TestData.Applicant), TestData.Now);

    public static ApplicationEvent.CityReviewApproved CityApproved(Actor? by = null) =>
        new(TestData.Ref(by ?? TestData.CityReviewer), TestData.Now);

    public static ApplicationEvent.CityReviewReturned CityReturned(string reason = TestData.ReturnReason, Actor? by = null) =>
        new(reason, TestData.Ref(by ?? TestData.CityReviewer), TestData.Now);

    public static ApplicationEvent.ProvinceReviewApproved ProvinceApproved(Actor? by = null) =>
        new(TestData.Ref(by ?? TestData.ProvinceReviewer), TestData.Now);

    /// <summary>A 2-working-day notice started by an approval at <see cref="TestData.Now"/> (Monday 23 November 2026): it ends at the end of Wednesday.</summary>
    public static PublicNoticeTerms NoticeTerms { get; } = new(2, new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.FromHours(8)), "施工员(土建施工)");

    public static ApplicationEvent.ProvinceReviewReturned ProvinceReturned(string reason = TestData.ReturnReason, Actor? by = null) =>
        new(reason, TestData.Ref(by ?? TestData.ProvinceReviewer), TestData.Now);

    /// <summary>
    /// The shortest history that leaves an application in <paramref name="status"/>, filed by the
    /// applicant and decided by <see cref="TestData.CityReviewer"/> and <see cref="TestData.ProvinceReviewer"/>.
    /// </summary>
    public static ApplicationEvent[] LeadingTo(ApplicationStatus status, ApplicationKind kind = ApplicationKind.Cancellation) => status switch
    {
        ApplicationStatus.None => [],
        ApplicationStatus.Draft => [Created(kind)],
        ApplicationStatus.PendingCityReview => [Created(kind), Submitted(kind: kind)],
        ApplicationStatus.CityReturned => [Created(kind), Submitted(kind: kind), CityReturned()],
        ApplicationStatus.PendingProvinceReview => [Created(kind), Submitted(kind: kind), CityApproved()],
        ApplicationStatus.ProvinceReturned => [Created(kind), Submitted(kind: kind), CityApproved(), ProvinceReturned()],
        ApplicationStatus.Approved => [Created(kind), Submitted(kind: kind), CityApproved(), ProvinceApproved()],
        ApplicationStatus.Withdrawn => [Created(kind), Submitted(kind: kind), Withdrawn()],
        ApplicationStatus.PendingConfirmation => [Created(kind), Submitted(kind: kind) with { AwaitsConfirmation = true }],
        ApplicationStatus.UnderPublicNotice => [Created(kind), Submitted(kind: kind), CityApproved(), ProvinceApproved() with { Notice = NoticeTerms }],
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static ApplicationState StateAfter(params ApplicationEvent[] events) => ApplicationState.From(events);

    /// <summary>The id of the first document <see cref="WithDocument"/> attaches.</summary>
    public const string DocumentId = "0190f0a1b2c34d5e8f9a0b1c2d3e4f50";

    /// <summary>A well-formed PNG as the adapter would measure it.</summary>
    public static DocumentUpload Upload(DocumentType type, string id = DocumentId, string fileName = "扫描件.png", long size = 2048) =>
        new(id, type, fileName, "image/png", size, DocumentFormat.Png, Sha(id));

    public static ApplicationEvent.DocumentAttached Attached(DocumentType type, string id = DocumentId, Actor? by = null) =>
        new(new AttachedDocument(id, type, "扫描件.png", DocumentFormat.Png, 2048, Sha(id), TestData.Now), TestData.Ref(by ?? TestData.Applicant), TestData.Now);

    public static ApplicationEvent.DocumentRemoved Removed(DocumentType type, string id = DocumentId, Actor? by = null) =>
        new(id, type, TestData.Ref(by ?? TestData.Applicant), TestData.Now);

    /// <summary>A submission recording exactly these documents.</summary>
    public static ApplicationEvent.Submitted SubmittedWith(int round, params ApplicationEvent.DocumentAttached[] documents) =>
        Submitted(round) with { Documents = documents.Select(d => d.Document.ToReference()).ToList() };

    /// <summary>
    /// The history with the documents a cancellation requires by default attached to the draft
    /// (the first one with id <see cref="DocumentId"/>), and every submission recording them.
    /// </summary>
    public static ApplicationEvent[] WithDocument(ApplicationEvent[] history)
    {
        if (history.Length == 0) return history;
        ApplicationEvent.DocumentAttached[] documents =
            [Attached(DocumentType.IdCardFront), Attached(DocumentType.IdCardBack, "doc-back"), Attached(DocumentType.SignedForm, "doc-form")];
        return [history[0], .. documents, .. history[1..].Select(e => e is ApplicationEvent.Submitted s ? SubmittedWith(s.Round, documents) with { AwaitsConfirmation = s.AwaitsConfirmation } : e)];
    }

    /// <summary>A stand-in SHA-256 (64 hex digits) that differs per id.</summary>
    public static string Sha(string id) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id)));
}
