using FuncRegistry.Core.Documents;

namespace FuncRegistry.Core.Applications;

/// <summary>
/// The current situation of one application: the fold of its events by <see cref="Evolve"/>.
/// A stored snapshot of it is an optimisation that must agree with the fold.
/// </summary>
public sealed record ApplicationState
{
    /// <summary>Before the first event.</summary>
    public static ApplicationState Initial { get; } = new();

    /// <summary>SQ + date + 6 digits.</summary>
    public string Id { get; init; } = "";
    /// <summary>Kind of application.</summary>
    public ApplicationKind Kind { get; init; }
    /// <summary>The certificate it is about.</summary>
    public string CertificateNumber { get; init; } = "";
    /// <summary>City code of the certificate: its city reviewers handle it.</summary>
    public string CityCode { get; init; } = "";
    /// <summary>Holder of the certificate when filed.</summary>
    public string HolderIdNumber { get; init; } = "";

    /// <summary>
    /// The ID numbers of the holder this application belongs to: the one it was filed under and,
    /// once it has changed the holder's ID number, the new one (under which the holder signs in from then on).
    /// </summary>
    /// A batch reissue belongs to no holder: it is the enterprise's, and one holder must not read the
    /// others' lines and photos (its first line's holder is recorded only to fill the list columns).
    public IReadOnlyList<string> HolderIdNumbers =>
        Kind == ApplicationKind.BatchReissue ? []
        : Status == ApplicationStatus.Approved && Kind == ApplicationKind.Change && Details.Changes?.HolderIdNumber is { } changed
            ? [HolderIdNumber, changed] : [HolderIdNumber];
    /// <summary>Holder's name when filed.</summary>
    public string HolderName { get; init; } = "";
    /// <summary>USCC of the employer when filed: that enterprise sees the application.</summary>
    public string EmployerCode { get; init; } = "";
    /// <summary>What an enterprise change changes (null for every other kind): it concerns no certificate.</summary>
    public EnterpriseChange? Enterprise { get; init; }
    /// <summary>The certificate's valid-until when last submitted (when filed, before): an extension extends from it.</summary>
    public DateOnly CertificateValidUntil { get; init; }
    /// <summary>Who filed it (the holder or their enterprise): only they edit, submit, withdraw.</summary>
    public ActorRef? FiledBy { get; init; }
    /// <summary>The certificates of a batch reissue, fixed at creation (none for other kinds).</summary>
    public IReadOnlyList<BatchLine> Lines { get; init; } = [];
    /// <summary>The editable part.</summary>
    public ApplicationDetails Details { get; init; } = new("");
    /// <summary>Status.</summary>
    public ApplicationStatus Status { get; init; } = ApplicationStatus.None;
    /// <summary>Number of submissions so far.</summary>
    public int Round { get; init; }
    /// <summary>Number of events so far, readings included: the sequence of the history rows and the audit chain.</summary>
    public int Version { get; init; }
    /// <summary>Number of readings (<see cref="ApplicationEvent.IsReading"/>) in the history.</summary>
    public int Readings { get; init; }
    /// <summary>
    /// Number of changes so far: the optimistic-concurrency version clients edit against (ETag,
    /// If-Match) and review links act on. A reviewer opening a document must not make an
    /// applicant's edit or another reviewer's decision stale, so readings do not count.
    /// </summary>
    public int Revision => Version - Readings;
    /// <summary>The review stops the current submission goes through, in order (<see cref="WorkflowPolicy"/>).</summary>
    public IReadOnlyList<ReviewStop> Route { get; init; } = [];
    /// <summary>The stop of <see cref="Route"/> it waits at (or last waited at).</summary>
    public int StopIndex { get; init; }
    /// <summary>The other party's confirmation, once given (asked once: a resubmission after a return does not ask again).</summary>
    public ApplicationEvent.ConfirmationGiven? Confirmation { get; init; }

    /// <summary>The stop it waits at now, or null when it waits for no reviewer.</summary>
    public ReviewStop? CurrentStop => Status.Stage() is not null && StopIndex < Route.Count ? Route[StopIndex] : null;

    /// <summary>The city whose reviewers decide its city stage now (the application's city, or the stop's for a route through another city).</summary>
    public string ReviewCityCode => CurrentStop?.CityCode ?? CityCode;

    /// <summary>Every city whose reviewers take part in it: its own and those of its route.</summary>
    public IEnumerable<string> ReviewCities => Route.Select(r => r.CityCode).OfType<string>().Prepend(CityCode).Distinct();

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>When the last change happened (readings do not count).</summary>
    public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>When it was last submitted (start of the current round).</summary>
    public DateTimeOffset? SubmittedAt { get; init; }
    /// <summary>When it entered its current status.</summary>
    public DateTimeOffset StatusSince { get; init; }
    /// <summary>The last change (readings do not count), to recognise a repeated identical decision.</summary>
    public ApplicationEvent? LastEvent { get; init; }
    /// <summary>What the review clock recorded in the current status (reminders, escalation, extension); starts afresh on every change of status.</summary>
    public StageClockMarks StageClock { get; init; } = StageClockMarks.None;
    /// <summary>The deadline extension, once granted (at most one per application).</summary>
    public ApplicationEvent.DeadlineExtended? Extension { get; init; }
    /// <summary>The version of the kind's commitment the last submission accepted (null before any, or when it was recorded before commitments were).</summary>
    public string? CommitmentVersion { get; init; }
    /// <summary>The documents attached now, in the order attached: what the next submission sends.</summary>
    public IReadOnlyList<AttachedDocument> Documents { get; init; } = [];
    /// <summary>
    /// Documents an earlier round's reviewers saw and the applicant removed since: kept as evidence,
    /// not deleted until the retention period after the application closed has passed.
    /// </summary>
    public IReadOnlyList<AttachedDocument> EarlierDocuments { get; init; } = [];
    /// <summary>When the documents were purged at the end of the retention period (null while they are kept).</summary>
    public DateTimeOffset? DocumentsPurgedAt { get; init; }
    /// <summary>What the purge removed (metadata only: the bytes are gone), so a request for one of them is told so.</summary>
    public IReadOnlyList<AttachedDocument> PurgedDocuments { get; init; } = [];

    /// <summary>The current public notice, or the last one (<see cref="PublicNoticeRules"/>); null before any.</summary>
    public PublicNoticeState? PublicNotice { get; init; }
    /// <summary>Every objection to its notices, in the order received.</summary>
    public IReadOnlyList<Objection> Objections { get; init; } = [];

    /// <summary>A document attached now or kept from an earlier round, or null.</summary>
    public AttachedDocument? Document(string documentId) =>
        Documents.FirstOrDefault(d => d.DocumentId == documentId) ?? EarlierDocuments.FirstOrDefault(d => d.DocumentId == documentId);

    /// <summary>Applies one event. Never throws: an event is a fact.</summary>
    public static ApplicationState Evolve(ApplicationState state, ApplicationEvent e)
    {
        // A reading only lengthens the history: the status, its clock, the last decision stay.
        if (e.IsReading) return state with { Version = state.Version + 1, Readings = state.Readings + 1 };
        var next = e switch
        {
            ApplicationEvent.Created c => state with
            {
                Id = c.ApplicationId, Kind = c.Kind, CertificateNumber = c.CertificateNumber, CityCode = c.CityCode,
                HolderIdNumber = c.HolderIdNumber, HolderName = c.HolderName, EmployerCode = c.EmployerCode, CertificateValidUntil = c.CertificateValidUntil,
                FiledBy = c.By, Details = c.Details, Status = ApplicationStatus.Draft, CreatedAt = c.At, Enterprise = c.Enterprise, Lines = c.Lines ?? [],
            },
            ApplicationEvent.Edited ed => state with { Details = ed.Details },
            ApplicationEvent.Deleted => state with { Status = ApplicationStatus.None },
            ApplicationEvent.Submitted s => state with
            {
                Route = s.Route ?? [new ReviewStop(ReviewStage.City, state.CityCode), new ReviewStop(ReviewStage.Province)], StopIndex = 0, Lines = s.Lines ?? state.Lines,
                Status = s.AwaitsConfirmation ? ApplicationStatus.PendingConfirmation : AtStop(s.Route, 0),
                Round = s.Round, SubmittedAt = s.At, CertificateValidUntil = s.CertificateValidUntil, CommitmentVersion = s.CommitmentVersion,
                Documents = state.Documents.Select(d => d.SubmittedInRound is null && (s.Documents ?? []).Any(r => r.DocumentId == d.DocumentId)
                    ? d with { SubmittedInRound = s.Round } : d).ToList(),
            },
            ApplicationEvent.DocumentAttached a => state with { Documents = [.. state.Documents, a.Document] },
            ApplicationEvent.DocumentRemoved r => state with
            {
                Documents = state.Documents.Where(d => d.DocumentId != r.DocumentId).ToList(),
                EarlierDocuments = [.. state.EarlierDocuments, .. state.Documents.Where(d => d.DocumentId == r.DocumentId && d.SubmittedInRound is not null)],
            },
            ApplicationEvent.Withdrawn => state with { Status = ApplicationStatus.Withdrawn },
            ApplicationEvent.ConfirmationGiven g => state with { Confirmation = g, Status = AtStop(state.Route, 0) },
            ApplicationEvent.ConfirmationRefused => state with { Status = ApplicationStatus.Withdrawn },
            ApplicationEvent.ProvinceReviewApproved { Notice: { } terms } a => PublicNoticeRules.Started(state, a, terms),
            ApplicationEvent.CityReviewApproved or ApplicationEvent.ProvinceReviewApproved => state with
            {
                StopIndex = state.StopIndex + 1, Status = AtStop(state.Route, state.StopIndex + 1),
                Lines = BatchReissue.Strike(state.Lines, (e as ApplicationEvent.CityReviewApproved)?.Struck ?? (e as ApplicationEvent.ProvinceReviewApproved)?.Struck),
            },
            ApplicationEvent.CityReviewReturned => state with { Status = ApplicationStatus.CityReturned },
            ApplicationEvent.ProvinceReviewReturned => state with { Status = ApplicationStatus.ProvinceReturned },
            ApplicationEvent.DeadlineExtended x => state with
            {
                Extension = x, StageClock = state.StageClock with { ExtensionWorkingDays = state.StageClock.ExtensionWorkingDays + x.WorkingDays },
            },
            ApplicationEvent.ReviewReminderSent r => state with
            {
                StageClock = r.Kind == Deadlines.DeadlineNotice.DueSoon ? state.StageClock with { DueSoonReminded = true } : state.StageClock with { OverdueReminded = true },
            },
            ApplicationEvent.StageEscalated => state with { StageClock = state.StageClock with { Escalated = true } },
            ApplicationEvent.AutoWithdrawn => state with { Status = ApplicationStatus.Withdrawn },
            ApplicationEvent.DocumentsPurged p => state with
            {
                Documents = state.Documents.Where(d => !Purges(p, d)).ToList(),
                EarlierDocuments = state.EarlierDocuments.Where(d => !Purges(p, d)).ToList(),
                PurgedDocuments = [.. state.PurgedDocuments, .. state.Documents.Concat(state.EarlierDocuments).Where(d => Purges(p, d))],
                DocumentsPurgedAt = p.At,
            },
            ApplicationEvent.ObjectionReceived or ApplicationEvent.ObjectionUpheld or ApplicationEvent.ObjectionDismissed or ApplicationEvent.PublicNoticeEnded =>
                PublicNoticeRules.Evolve(state, e),
            ApplicationEvent.NotificationPhoneChanged p => state with { Details = state.Details with { NotificationPhone = p.Phone } },
            _ => state,
        };
        // A new stop is a new stage, even in the same status (a move's second city): its clock starts afresh.
        var moved = next.Status != state.Status || (next.Status.Stage() is not null && next.StopIndex != state.StopIndex);
        return next with
        {
            Version = state.Version + 1,
            UpdatedAt = e.At,
            StatusSince = moved ? e.At : state.StatusSince,
            StageClock = moved ? StageClockMarks.None : next.StageClock,
            // A change of contact is no decision: a retried decision before it is still recognised as one.
            LastEvent = e is ApplicationEvent.NotificationPhoneChanged ? state.LastEvent : e,
        };
    }

    /// <summary>The status of waiting at stop <paramref name="index"/> of a route (null: the city, then the province); past the last stop, approved.</summary>
    private static ApplicationStatus AtStop(IReadOnlyList<ReviewStop>? route, int index)
    {
        route ??= [new ReviewStop(ReviewStage.City), new ReviewStop(ReviewStage.Province)];
        if (index >= route.Count) return ApplicationStatus.Approved;
        return route[index].Stage == ReviewStage.City ? ApplicationStatus.PendingCityReview : ApplicationStatus.PendingProvinceReview;
    }

    private static bool Purges(ApplicationEvent.DocumentsPurged purge, AttachedDocument document) =>
        purge.Documents.Any(r => r.DocumentId == document.DocumentId);

    /// <summary>The fold of a history.</summary>
    public static ApplicationState From(IEnumerable<ApplicationEvent> history) => history.Aggregate(Initial, Evolve);
}

/// <summary>What the review clock has recorded for the status an application is in now.</summary>
/// <param name="DueSoonReminded">The reviewers were told the stage falls due soon.</param>
/// <param name="OverdueReminded">The reviewers were told the stage is overdue.</param>
/// <param name="Escalated">The late city stage was reported to the province.</param>
/// <param name="ExtensionWorkingDays">Working days an extension granted in this stage added to it.</param>
public sealed record StageClockMarks(bool DueSoonReminded, bool OverdueReminded, bool Escalated, int ExtensionWorkingDays)
{
    /// <summary>Nothing recorded yet.</summary>
    public static StageClockMarks None { get; } = new(false, false, false, 0);
}
