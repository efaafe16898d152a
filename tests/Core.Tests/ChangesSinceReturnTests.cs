using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Documents;
using static FuncRegistry.Core.Tests.History;

namespace FuncRegistry.Core.Tests;

/// <summary>What a reviewer is shown as changed since the last return: fields before → after, documents added, replaced, removed.</summary>
public sealed class ChangesSinceReturnTests
{
    private static readonly ApplicationDetails NameChange = new(TestData.Phone, Changes: new CertificateChange(HolderName: "张叁"));
    private const string Front = "0190f0a1b2c34d5e8f9a0b1c2d3e4f51";
    private const string Back = "0190f0a1b2c34d5e8f9a0b1c2d3e4f52";
    private const string Form = "0190f0a1b2c34d5e8f9a0b1c2d3e4f53";
    private const string NewFront = "0190f0a1b2c34d5e8f9a0b1c2d3e4f61";
    private const string Contract = "0190f0a1b2c34d5e8f9a0b1c2d3e4f62";

    /// <summary>A name change with its three scans, submitted once and returned by the city asking for the name and the ID card front.</summary>
    private static List<ApplicationEvent> Returned() =>
    [
        Created(ApplicationKind.Change, NameChange),
        Attached(DocumentType.IdCardFront, Front), Attached(DocumentType.IdCardBack, Back), Attached(DocumentType.SignedForm, Form),
        SubmittedWith(1, Attached(DocumentType.IdCardFront, Front), Attached(DocumentType.IdCardBack, Back), Attached(DocumentType.SignedForm, Form)),
        CityReturned("姓名与身份证不符，身份证正面不清晰") with { ToFix = new Corrections(["changes.holderName"], [DocumentType.IdCardFront]) },
    ];

    [Fact]
    public void An_application_never_returned_has_no_changes_since_a_return() =>
        Assert.Null(ChangesSinceReturn.Of([Created(ApplicationKind.Change, NameChange), Submitted(), CityApproved()]));

    [Fact]
    public void A_returned_application_not_yet_resubmitted_has_none_either()
    {
        var history = Returned();
        history.Add(Edited(NameChange with { Changes = new CertificateChange(HolderName: "张三丰") }));
        Assert.Null(ChangesSinceReturn.Of(history));
    }

    [Fact]
    public void A_resubmission_shows_the_field_before_and_after_and_the_replaced_document_both_as_requested()
    {
        var history = Returned();
        history.AddRange(
        [
            Edited(NameChange with { Changes = new CertificateChange(HolderName: "张三丰") }),
            Removed(DocumentType.IdCardFront, Front), Attached(DocumentType.IdCardFront, NewFront),
            Submitted(2),
        ]);
        var changes = ChangesSinceReturn.Of(history)!;

        Assert.Equal(ReviewStage.City, changes.Stage);
        Assert.Equal("姓名与身份证不符，身份证正面不清晰", changes.Reason);
        Assert.Equal(1, changes.ReturnedRound);
        Assert.Equal([new FieldChange("changes.holderName", "张叁", "张三丰", Requested: true)], changes.Fields);
        var document = Assert.Single(changes.Documents);
        Assert.Equal((DocumentChangeKind.Replaced, DocumentType.IdCardFront, Front, NewFront, true),
            (document.Change, document.Type, document.Before!.DocumentId, document.After!.DocumentId, document.Requested));
        Assert.Equal(new Corrections([], []), changes.NotChanged, CorrectionsComparer);
    }

    [Fact]
    public void What_changed_unasked_is_shown_unrequested_and_what_was_asked_and_left_is_named()
    {
        var history = Returned();
        history.AddRange(
        [
            Edited(NameChange with { NotificationPhone = "13987654321", Reason = "补充说明：户籍已更正" }),
            Attached(DocumentType.EmploymentContract, Contract),
            Removed(DocumentType.SignedForm, Form),
            Submitted(2),
        ]);
        var changes = ChangesSinceReturn.Of(history)!;

        Assert.Equal(
            [
                new FieldChange("notificationPhone", TestData.Phone, "13987654321", Requested: false),
                new FieldChange("reason", null, "补充说明：户籍已更正", Requested: false),
            ],
            changes.Fields);
        Assert.Equal(
            [(DocumentChangeKind.Added, DocumentType.EmploymentContract, null, Contract), (DocumentChangeKind.Removed, DocumentType.SignedForm, Form, null)],
            changes.Documents.Select(d => (d.Change, d.Type, d.Before?.DocumentId, d.After?.DocumentId)).ToList());
        // The name and the ID card front were asked for and are as they were.
        Assert.Equal(["changes.holderName"], changes.NotChanged!.Fields);
        Assert.Equal([DocumentType.IdCardFront], changes.NotChanged.DocumentTypes);
    }

    [Fact]
    public void A_second_return_compares_with_the_state_it_found_not_with_the_first()
    {
        var history = Returned();
        history.AddRange(
        [
            Edited(NameChange with { Changes = new CertificateChange(HolderName: "张三丰") }),
            Submitted(2), CityApproved(),
            ProvinceReturned("请补充签字"),
            Edited(NameChange with { Changes = new CertificateChange(HolderName: "张三峰") }),
            Submitted(3),
        ]);
        var changes = ChangesSinceReturn.Of(history)!;

        Assert.Equal((ReviewStage.Province, "请补充签字", 2), (changes.Stage, changes.Reason, changes.ReturnedRound));
        Assert.Equal([new FieldChange("changes.holderName", "张三丰", "张三峰", Requested: false)], changes.Fields);
        Assert.Null(changes.NotChanged); // that return listed nothing to correct
    }

    [Fact]
    public void Documents_purged_after_the_application_closed_do_not_read_as_removed()
    {
        var history = Returned();
        history.AddRange(
        [
            Removed(DocumentType.IdCardFront, Front), Attached(DocumentType.IdCardFront, NewFront),
            Submitted(2), CityApproved(), ProvinceApproved(),
            new ApplicationEvent.DocumentsPurged(365,
                [.. new[] { NewFront, Back, Form }.Select(id => Attached(DocumentType.IdCardFront, id).Document.ToReference())],
                TestData.Ref(Actor.System), TestData.Now.AddDays(400)),
        ]);
        Assert.Equal([DocumentChangeKind.Replaced], ChangesSinceReturn.Of(history)!.Documents.Select(d => d.Change));
    }

    [Fact]
    public void A_batch_photo_replaces_the_photo_of_its_own_line_only()
    {
        const string lineA = "甘建安C（2025）0100001", lineB = "甘建安C（2025）0100002";
        static ApplicationEvent.DocumentAttached Photo(string id, string line) => Attached(DocumentType.Photo, id) with
        {
            Document = Attached(DocumentType.Photo, id).Document with { CertificateNumber = line },
        };
        List<ApplicationEvent> history =
        [
            Created(ApplicationKind.BatchReissue, new ApplicationDetails(TestData.Phone, ReissueReason: ReissueReason.Lost), TestData.Enterprise),
            Photo(Front, lineA), Photo(Back, lineB), Submitted(1), CityReturned(),
            Removed(DocumentType.Photo, Back), Photo(NewFront, lineA), Photo(Contract, lineB),
            Edited(new ApplicationDetails(TestData.Phone, ReissueReason: ReissueReason.Damaged)),
            Submitted(2),
        ];
        var changes = ChangesSinceReturn.Of(history)!;

        // The new photo of line A comes beside the old one (added); line B's was replaced.
        Assert.Equal(
            [(DocumentChangeKind.Replaced, lineB, Back, Contract), (DocumentChangeKind.Added, lineA, null, NewFront)],
            changes.Documents.Select(d => (d.Change, d.CertificateNumber, d.Before?.DocumentId, d.After?.DocumentId)).ToList());
        Assert.Equal([new FieldChange("reissueReason", "lost", "damaged", Requested: false)], changes.Fields);
    }

    private static readonly IEqualityComparer<Corrections?> CorrectionsComparer =
        EqualityComparer<Corrections?>.Create((a, b) => a is not null && a.SameAs(b), c => 0);
}
