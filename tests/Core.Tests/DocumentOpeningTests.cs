using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Documents;
using static FuncRegistry.Core.Tests.DeciderSpec;
using static FuncRegistry.Core.Tests.History;
using static FuncRegistry.Core.Tests.TestData;

namespace FuncRegistry.Core.Tests;

/// <summary>
/// Opening a document: who may (the evidence of a closed application included) and what the
/// history records — a reviewer's or admin's opening, as a reading that changes nothing else.
/// </summary>
public class DocumentOpeningTests
{
    private static readonly Actor Admin = new(Role.Admin, "admin-1", "吴管理");

    private static ApplicationCommand.OpenDocument Open(Actor by, string documentId = DocumentId) => new(documentId, by, Now);

    private static ApplicationEvent[] In(ApplicationStatus status) => WithDocument(LeadingTo(status));

    [Fact]
    public void Reviewer_of_the_current_stage_opening_a_document_is_recorded_in_the_history()
    {
        var opened = Given(In(ApplicationStatus.PendingCityReview)).When(Open(CityReviewer)).ThenSingle<ApplicationEvent.DocumentOpened>();
        Assert.Equal(DocumentId, opened.Document.DocumentId);
        Assert.Equal(Ref(CityReviewer), opened.By);
    }

    [Fact]
    public void Holder_opening_their_own_document_is_not_recorded() =>
        Given(In(ApplicationStatus.PendingCityReview)).When(Open(Applicant)).ThenNothingHappens();

    [Theory]
    [InlineData(ApplicationStatus.Approved)]
    [InlineData(ApplicationStatus.Withdrawn)]
    public void Province_reviewers_admins_and_the_city_open_the_documents_of_a_closed_application(ApplicationStatus status)
    {
        foreach (var staff in new[] { ProvinceReviewer, Admin, CityColleague })
            Given(In(status)).When(Open(staff)).ThenSingle<ApplicationEvent.DocumentOpened>();
    }

    [Fact]
    public void Another_city_learns_nothing_of_a_closed_application() =>
        Given(In(ApplicationStatus.Approved)).When(Open(ForeignCityReviewer)).ThenRefused(RefusalKind.NotFound, "application_not_found");

    [Theory]
    [InlineData(ApplicationStatus.PendingCityReview)]
    [InlineData(ApplicationStatus.CityReturned)]
    public void Province_reviewers_and_admins_do_not_open_the_documents_of_an_application_not_theirs_to_review_yet(ApplicationStatus status)
    {
        Given(In(status)).When(Open(ProvinceReviewer)).ThenRefused(RefusalKind.Forbidden, "documents_not_readable");
        Given(In(status)).When(Open(Admin)).ThenRefused(RefusalKind.Forbidden, "documents_not_readable");
    }

    [Fact]
    public void Enterprise_that_did_not_file_does_not_open_the_documents() =>
        Given(In(ApplicationStatus.Approved)).When(Open(Enterprise)).ThenRefused(RefusalKind.Forbidden, "documents_not_readable");

    [Fact]
    public void Purged_documents_are_gone_for_everyone()
    {
        var purged = new ApplicationEvent.DocumentsPurged(365, [Attached(DocumentType.IdCardFront).Document.ToReference()], Ref(Actor.System), Now);
        var refusal = Given([.. In(ApplicationStatus.Approved), purged]).When(Open(ProvinceReviewer)).ThenRefused(RefusalKind.Gone, "document_purged");
        Assert.Contains("保存期满", refusal.Message);
    }

    [Fact]
    public void Unknown_document_is_not_found() =>
        Given(In(ApplicationStatus.Approved)).When(Open(ProvinceReviewer, "0190f0a1b2c34d5e8f9a0b1c2d3e4fff")).ThenRefused(RefusalKind.NotFound, "document_not_found");

    [Fact]
    public void An_opening_changes_neither_status_nor_revision_nor_the_last_decision()
    {
        var before = ApplicationState.From(In(ApplicationStatus.PendingProvinceReview));
        var after = ApplicationState.Evolve(before, new ApplicationEvent.DocumentOpened(before.Documents[0].ToReference(), Ref(ProvinceReviewer), Now.AddHours(1)));

        Assert.Equal(before.Status, after.Status);
        Assert.Equal(before.Revision, after.Revision);
        Assert.Equal(before.Version + 1, after.Version);
        Assert.Equal(before.LastEvent, after.LastEvent);
        Assert.Equal(before.UpdatedAt, after.UpdatedAt);
        Assert.Equal(before.StatusSince, after.StatusSince);
    }

    [Fact]
    public void A_decision_repeated_after_an_opening_is_still_a_repeat()
    {
        var state = ApplicationState.From(In(ApplicationStatus.PendingProvinceReview));
        var opened = new ApplicationEvent.DocumentOpened(state.Documents[0].ToReference(), Ref(CityReviewer), Now);
        // The city approved (the history's last decision), then opened a document: approving again changes nothing.
        Given([.. In(ApplicationStatus.PendingProvinceReview), opened]).When(new ApplicationCommand.ApproveAtCity(CityReviewer, Now)).ThenNothingHappens();
    }

    [Fact]
    public void An_opening_causes_no_side_effect()
    {
        var state = ApplicationState.From(In(ApplicationStatus.Approved));
        var opened = new ApplicationEvent.DocumentOpened(state.Documents[0].ToReference(), Ref(Admin), Now);
        Assert.Empty(ApplicationReactions.For(opened, ApplicationState.Evolve(state, opened), Settings));
    }
}
