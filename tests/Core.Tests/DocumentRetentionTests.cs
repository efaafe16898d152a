using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Deadlines;
using FuncRegistry.Core.Documents;
using static FuncRegistry.Core.Tests.DeciderSpec;
using static FuncRegistry.Core.Tests.History;
using static FuncRegistry.Core.Tests.TestCalendar;

namespace FuncRegistry.Core.Tests;

/// <summary>
/// Retention: the documents of a closed application are purged by the review clock a configured
/// number of calendar days after it closed — once, never while it is open, never when retention is off.
/// </summary>
public class DocumentRetentionTests
{
    private static readonly ActorRef System = ActorRef.Of(Actor.System);
    private static readonly DeadlinePolicy Keep30Days = Policy with { DocumentRetentionDays = 30 };

    private static ApplicationEvent At(ApplicationEvent e, string beijing) => e with { At = Beijing(beijing) };

    /// <summary>Filed with three documents on 23 November 2026; closed (approved by the province) on 1 December at 15:00.</summary>
    private static ApplicationEvent[] Approved() =>
        [.. WithDocument(LeadingTo(ApplicationStatus.Approved))[..^1].Select(e => At(e, "2026-11-23 10:00")), At(ProvinceApproved(), "2026-12-01 15:00")];

    [Fact]
    public void Documents_of_an_approved_application_fall_due_for_purge_the_configured_days_after_approval()
    {
        var state = ApplicationState.From(Approved());

        Assert.Equal(Beijing("2026-12-31 15:00"), ReviewClock.DocumentsPurgeAt(state, Keep30Days));
        Assert.Equal(Beijing("2026-12-31 15:00"), ReviewClock.NextCheckAt(state, Keep30Days));
        Assert.Empty(ReviewClock.DueEvents(state, Keep30Days, System, Beijing("2026-12-31 14:59")));

        var purged = Assert.IsType<ApplicationEvent.DocumentsPurged>(Assert.Single(ReviewClock.DueEvents(state, Keep30Days, System, Beijing("2026-12-31 15:00"))));
        Assert.Equal(30, purged.AfterDays);
        Assert.Equal(System, purged.By);
        Assert.Equal([DocumentId, "doc-back", "doc-form"], purged.Documents.Select(d => d.DocumentId));
        Assert.Equal(Sha(DocumentId), purged.Documents[0].Sha256);
        Assert.Equal(DocumentType.IdCardFront, purged.Documents[0].Type);
    }

    [Fact]
    public void A_purge_is_recorded_once_and_leaves_the_application_without_readable_documents()
    {
        var state = ApplicationState.From(Approved());
        var purge = Assert.Single(ReviewClock.DueEvents(state, Keep30Days, System, Beijing("2027-01-05 09:00")));

        var after = ApplicationState.Evolve(state, purge);

        Assert.Equal(ApplicationStatus.Approved, after.Status);
        Assert.Equal(Beijing("2027-01-05 09:00"), after.DocumentsPurgedAt);
        Assert.Empty(after.Documents);
        Assert.Null(after.Document(DocumentId));
        Assert.Equal([DocumentId, "doc-back", "doc-form"], after.PurgedDocuments.Select(d => d.DocumentId));
        Assert.Null(ReviewClock.NextCheckAt(after, Keep30Days));
        Assert.Empty(ReviewClock.DueEvents(after, Keep30Days, System, Beijing("2030-01-01 09:00")));
    }

    [Fact]
    public void The_system_clock_records_the_purge_through_the_decider_once()
    {
        ApplicationEvent[] history = Approved();
        var check = new ApplicationCommand.CheckDeadlines(Keep30Days, Actor.System, Beijing("2027-01-01 00:05"));

        var purged = Given(history).When(check).ThenSingle<ApplicationEvent.DocumentsPurged>();

        Given([.. history, purged]).When(check with { At = Beijing("2027-01-02 00:05") }).ThenNothingHappens();
        Given(history).When(check with { By = TestData.ProvinceReviewer }).ThenRefused(RefusalKind.Forbidden, "system_only");
    }

    [Fact]
    public void Withdrawn_applications_purge_from_the_withdrawal_every_document_they_hold_evidence_and_unsubmitted_alike()
    {
        // Submitted with three documents, returned, the ID card replaced (the first kept as evidence), withdrawn.
        ApplicationEvent[] history =
        [
            .. WithDocument(LeadingTo(ApplicationStatus.CityReturned)).Select(e => At(e, "2026-11-23 10:00")),
            At(Removed(DocumentType.IdCardFront), "2026-11-24 09:00"),
            At(Attached(DocumentType.IdCardFront, "doc-front-2"), "2026-11-24 09:05"),
            At(Withdrawn(), "2026-11-25 16:00"),
        ];
        var state = ApplicationState.From(history);
        Assert.Equal([DocumentId], state.EarlierDocuments.Select(d => d.DocumentId));

        var purged = Assert.IsType<ApplicationEvent.DocumentsPurged>(Assert.Single(ReviewClock.DueEvents(state, Keep30Days, System, Beijing("2026-12-25 16:00"))));

        Assert.Equal(["doc-back", "doc-form", "doc-front-2", DocumentId], purged.Documents.Select(d => d.DocumentId));
        var after = ApplicationState.Evolve(state, purged);
        Assert.Empty(after.EarlierDocuments);
        Assert.Empty(after.Documents);
        Assert.Equal(4, after.PurgedDocuments.Count);
    }

    [Fact]
    public void An_automatically_withdrawn_application_is_purged_the_retention_after_its_withdrawal()
    {
        var returned = ApplicationState.From(WithDocument(LeadingTo(ApplicationStatus.CityReturned)).Select(e => At(e, "2026-11-23 10:00")));
        var withdrawn = ApplicationState.Evolve(returned, Assert.Single(ReviewClock.DueEvents(returned, Keep30Days, System, Beijing("2026-12-23 10:00"))));

        Assert.Equal(ApplicationStatus.Withdrawn, withdrawn.Status);
        Assert.Equal(Beijing("2027-01-22 10:00"), ReviewClock.NextCheckAt(withdrawn, Keep30Days));
    }

    [Theory]
    [InlineData(ApplicationStatus.Draft)]
    [InlineData(ApplicationStatus.PendingCityReview)]
    [InlineData(ApplicationStatus.CityReturned)]
    [InlineData(ApplicationStatus.PendingProvinceReview)]
    [InlineData(ApplicationStatus.ProvinceReturned)]
    public void Documents_of_an_open_application_or_a_draft_are_never_purged(ApplicationStatus status)
    {
        var state = ApplicationState.From(WithDocument(LeadingTo(status)));

        Assert.Null(ReviewClock.DocumentsPurgeAt(state, Keep30Days));
        Assert.DoesNotContain(ReviewClock.DueEvents(state, Keep30Days, System, TestData.Now.AddDays(3650)), e => e is ApplicationEvent.DocumentsPurged);
    }

    [Fact]
    public void With_retention_off_documents_of_closed_applications_are_kept_for_ever()
    {
        var state = ApplicationState.From(Approved());

        Assert.Equal(0, Policy.DocumentRetentionDays);
        Assert.Null(ReviewClock.DocumentsPurgeAt(state, Policy));
        Assert.Null(ReviewClock.NextCheckAt(state, Policy));
        Assert.Empty(ReviewClock.DueEvents(state, Policy, System, TestData.Now.AddDays(36_500)));
    }

    [Fact]
    public void A_closed_application_without_documents_has_nothing_to_purge_and_no_timer()
    {
        var state = ApplicationState.From(LeadingTo(ApplicationStatus.Approved));

        Assert.Null(ReviewClock.NextCheckAt(state, Keep30Days));
        Assert.Empty(ReviewClock.DueEvents(state, Keep30Days, System, TestData.Now.AddDays(365)));
    }

    [Fact]
    public void The_purge_deletes_every_stored_byte()
    {
        var state = ApplicationState.From(Approved());
        var purge = ReviewClock.DueEvents(state, Keep30Days, System, Beijing("2027-01-01 09:00"));

        var effects = ApplicationReactions.ForTransition(state, purge, TestData.Settings);

        Assert.Equal(new SideEffect.DeleteAllDocuments(TestData.ApplicationNumber), Assert.Single(effects));
    }

    /// <summary>The timer index keeps <see cref="ReviewClock.NextCheckAt"/>: with retention on, the purge falls due exactly then and only once.</summary>
    [Theory]
    [InlineData(ApplicationStatus.Approved, 1)]
    [InlineData(ApplicationStatus.Withdrawn, 1)]
    [InlineData(ApplicationStatus.CityReturned, 2)] // withdrawn automatically after 30 days, purged 30 days later
    public void Something_falls_due_exactly_from_the_next_check_time_on(ApplicationStatus status, int expected)
    {
        var history = WithDocument(LeadingTo(status)).Select(e => At(e, "2026-11-23 10:00")).ToList();
        var recorded = TestCalendar.RunClock(history, Keep30Days, "2026-11-23 10:00", "2027-02-28 00:00");
        Assert.Equal(expected, recorded.Count);
        Assert.IsType<ApplicationEvent.DocumentsPurged>(recorded[^1]);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(DeadlinePolicy.MaxDocumentRetentionDays + 1)]
    public void A_retention_out_of_range_is_a_settings_problem(int days) =>
        Assert.Contains((Policy with { DocumentRetentionDays = days }).Problems(), p => p.StartsWith("DocumentRetentionDays", StringComparison.Ordinal));
}
