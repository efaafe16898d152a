using FuncRegistry.Core.Certificates;
using FuncRegistry.Core.Province;

namespace FuncRegistry.Core.Applications;

/// <summary>
/// Who may see and do what with an application or certificate: the object-level
/// authorization rules, in one place.
/// </summary>
public static class AccessRules
{
    /// <summary>
    /// An applicant files for their own certificates; an enterprise for certificates it employs, and a
    /// transfer for one it does not employ yet (<see cref="TransferRules"/>).
    /// </summary>
    public static bool CanFileFor(Actor actor, Certificate certificate, ApplicationKind kind) => kind == ApplicationKind.Transfer
        ? actor.Role == Role.Enterprise && actor.Org is not null && actor.Org != certificate.EmployerCode
        : CanFileFor(actor, certificate);

    /// <summary>An applicant files for their own certificates; an enterprise for certificates it employs.</summary>
    public static bool CanFileFor(Actor actor, Certificate certificate) => actor.Role switch
    {
        Role.Applicant => actor.Subject == certificate.HolderIdNumber,
        Role.Enterprise => actor.Org is not null && actor.Org == certificate.EmployerCode,
        _ => false,
    };

    /// <summary>An applicant sees their own certificates; an enterprise those it employs; reviewers and admins those they handle.</summary>
    public static bool CanViewCertificate(Actor actor, Certificate certificate) => actor.Role switch
    {
        Role.Applicant => actor.Subject == certificate.HolderIdNumber,
        Role.Enterprise => actor.Org == certificate.EmployerCode,
        Role.CityReviewer => SameCity(actor.City, certificate.CityCode),
        Role.ProvinceReviewer or Role.Admin => true,
        _ => false,
    };

    /// <summary>The one who filed it (the holder or their enterprise) edits, submits, withdraws and deletes.</summary>
    public static bool IsFiler(Actor actor, ApplicationState state) => state.FiledBy is { } filer && actor.Role == filer.Role && actor.Role switch
    {
        Role.Applicant => actor.Subject == filer.Subject,
        Role.Enterprise => actor.Org is not null && actor.Org == filer.Org,
        _ => false,
    };

    /// <summary>
    /// The filer, the holder, the employer, the reviewers of its city and province, and admins may
    /// read it — reviewers only once it was submitted: a draft that never was is not yet theirs to
    /// review. Admins (and the system's clock, which acts as one) see every application, masked.
    /// </summary>
    public static bool CanView(Actor actor, ApplicationState state) => actor.Role switch
    {
        Role.Applicant => IsHolder(actor, state) || IsFiler(actor, state),
        Role.Enterprise => actor.Org is not null && (actor.Org == state.EmployerCode || IsFiler(actor, state)),
        Role.CityReviewer => state.Round > 0 && state.ReviewCities.Any(city => SameCity(actor.City, city)),
        Role.ProvinceReviewer => state.Round > 0,
        Role.Admin => true,
        _ => false,
    };

    /// <summary>
    /// Who may check an application's audit trail: whoever may read it (<paramref name="state"/> is
    /// the fold of the rows that verified); and province-wide staff whenever the trail is broken —
    /// tampering may have left too little to decide by. The verdict holds no personal data.
    /// </summary>
    public static bool CanVerifyHistory(Actor actor, ApplicationState state, bool intact) =>
        CanView(actor, state) || (!intact && actor.Role is Role.ProvinceReviewer or Role.Admin);

    /// <summary>
    /// Who may read an enterprise's record and roster (the certificates it employs): the enterprise
    /// itself, the reviewers of its city, province reviewers and admins. Whose names show unmasked on
    /// it is decided per line by <see cref="SeesPersonalDataOf"/>.
    /// </summary>
    public static bool CanViewEnterprise(Actor actor, Enterprises.Enterprise enterprise) => actor.Role switch
    {
        Role.Enterprise => actor.Org is not null && string.Equals(actor.Org, enterprise.Uscc, StringComparison.OrdinalIgnoreCase),
        Role.CityReviewer => SameCity(actor.City, enterprise.CityCode),
        Role.ProvinceReviewer or Role.Admin => true,
        _ => false,
    };

    /// <summary>Only admins register or correct an enterprise record.</summary>
    public static bool CanEditEnterprise(Actor actor) => actor.Role == Role.Admin;

    /// <summary>Only admins import the register.</summary>
    public static bool CanImportRegister(Actor actor) => actor.Role == Role.Admin;

    /// <summary>The stage this reviewer may decide right now — the one a review link is offered for — or null.</summary>
    public static ReviewStage? StageToDecide(Actor actor, ApplicationState state) =>
        state.Status.Stage() is { } stage && CanReview(actor, state, stage) ? stage : null;

    /// <summary>A review link acts only while the application is still in the stage and round it was issued for.</summary>
    public static bool ReviewLinkApplies(ReviewStage stage, int round, ApplicationState state) =>
        state.Status.Stage() == stage && state.Round == round;

    /// <summary>
    /// Personal data is shown unmasked only to its owner and the reviewers handling it (PIPL);
    /// an enterprise and an admin see it masked.
    /// </summary>
    public static bool SeesPersonalData(Actor actor, ApplicationState state) =>
        state.HolderIdNumbers.Any(id => SeesPersonalDataOf(actor, id, state.CityCode));

    /// <summary>
    /// The one rule for showing a holder's personal data unmasked: to the holder, to the reviewers
    /// of the certificate's city and to province reviewers; masked for enterprises and admins.
    /// </summary>
    public static bool SeesPersonalDataOf(Actor actor, string holderIdNumber, string cityCode) => actor.Role switch
    {
        Role.Applicant => actor.Subject == holderIdNumber,
        Role.CityReviewer => SameCity(actor.City, cityCode),
        Role.ProvinceReviewer => true,
        _ => false,
    };

    /// <summary>
    /// The scans (ID cards, contracts) are read by the filer and the holder, and by the reviewers
    /// who may act on the application at its current stage; once it is decided (under public notice,
    /// approved or withdrawn) they are evidence of the decision, read by province reviewers, admins and the
    /// reviewers of its city until retention purges them. Nobody else, not even other viewers
    /// (an enterprise that is not the filer). Staff openings are recorded (<see cref="IsStaff"/>).
    /// </summary>
    public static bool CanReadDocuments(Actor actor, ApplicationState state) =>
        IsFiler(actor, state)
        || IsHolder(actor, state)
        || (state.Status.Stage() is { } stage && CanReview(actor, state, stage))
        || (state.Status is ApplicationStatus.Approved or ApplicationStatus.Withdrawn or ApplicationStatus.UnderPublicNotice && CanReadEvidence(actor, state));

    /// <summary>Who reads the documents of a closed application: the province, admins, the reviewers of its city.</summary>
    private static bool CanReadEvidence(Actor actor, ApplicationState state) => actor.Role switch
    {
        Role.ProvinceReviewer or Role.Admin => true,
        Role.CityReviewer => state.ReviewCities.Any(city => SameCity(actor.City, city)),
        _ => false,
    };

    /// <summary>
    /// The other party confirms a submission that needs it (<see cref="KindWorkflow.ConfirmedByOtherParty"/>):
    /// the holder when an enterprise filed it, the employer when the holder did.
    /// </summary>
    public static bool CanConfirm(Actor actor, ApplicationState state) => state.FiledBy?.Role switch
    {
        Role.Enterprise => IsHolder(actor, state),
        Role.Applicant => actor.Role == Role.Enterprise && actor.Org is not null && actor.Org == state.EmployerCode,
        _ => false,
    };

    /// <summary>Reviewers and admins act for the authority: what they open of someone's documents is recorded in the history.</summary>
    public static bool IsStaff(Actor actor) => actor.Role is Role.CityReviewer or Role.ProvinceReviewer or Role.Admin;

    /// <summary>The holder the application is about, under either ID number it belongs to (<see cref="ApplicationState.HolderIdNumbers"/>).</summary>
    public static bool IsHolder(Actor actor, ApplicationState state) => actor.Role == Role.Applicant && state.HolderIdNumbers.Contains(actor.Subject);

    /// <summary>City reviewers decide the city stage of their own city; province reviewers the province stage.</summary>
    public static bool CanReview(Actor actor, ApplicationState state, ReviewStage stage) => stage switch
    {
        ReviewStage.City => actor.Role == Role.CityReviewer && SameCity(actor.City, state.ReviewCityCode),
        ReviewStage.Province => actor.Role == Role.ProvinceReviewer,
        _ => false,
    };

    /// <summary>The province (the licensing authority) extends a deadline (行政许可法 Art. 42).</summary>
    public static bool CanExtendDeadline(Actor actor) => actor.Role == Role.ProvinceReviewer;

    /// <summary>Only the system itself runs the review clock.</summary>
    public static bool IsSystem(Actor actor) => actor == Actor.System;

    /// <summary>
    /// Objections to a public notice are decided by whoever decides the last stop of its route (the province, for every kind
    /// under notice): they made the approval the public objects to.
    /// </summary>
    public static bool CanDecideObjection(Actor actor, ApplicationState state) => state.Route.Count > 0 && state.Route[^1] is var last && last.Stage switch
    {
        ReviewStage.Province => actor.Role == Role.ProvinceReviewer,
        _ => actor.Role == Role.CityReviewer && SameCity(actor.City, last.CityCode ?? state.CityCode),
    };

    /// <summary>
    /// What an objector wrote is read by staff only (reviewers, admins): the objector is protected from the applicant, who
    /// learns that an objection came and how it was decided. The objector's phone shows unmasked only to
    /// <see cref="CanDecideObjection">those who decide it</see>.
    /// </summary>
    public static bool SeesObjectionReasons(Actor actor) => IsStaff(actor);

    /// <summary>Division codes name their city by the first four digits.</summary>
    public static bool SameCity(string? a, string? b) => DivisionCodes.CityOf(a) is { } city && city == DivisionCodes.CityOf(b);
}
