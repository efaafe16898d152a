using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Deadlines;
using FuncRegistry.Core.Identifiers;
using FuncRegistry.Core.Province;
using FuncRegistry.Functions.Applications;
using FuncRegistry.Functions.Auth;

namespace FuncRegistry.Functions.PublicNotices;

/// <summary>
/// One line of the public list (公示): what the notice publishes, nothing more. The holder's name is masked, no ID number
/// ever shows; <c>id</c> is the reference an objection is filed against.
/// </summary>
/// <param name="Id">The application (the notice's reference for objections).</param>
/// <param name="Kind">What the application asks for.</param>
/// <param name="KindText">Its Chinese label.</param>
/// <param name="CertificateNumber">The certificate concerned.</param>
/// <param name="HolderName">The holder, masked (王*).</param>
/// <param name="Post">The certificate's post, e.g. 施工员(土建施工).</param>
/// <param name="Change">What the approval changes, in Chinese (a new name masked, a new ID number never shown).</param>
/// <param name="CityCode">The certificate's city.</param>
/// <param name="CityName">Its name.</param>
/// <param name="StartedAt">When the approval put it under notice.</param>
/// <param name="EndsAt">When the notice ends: the end (Beijing midnight) of <paramref name="LastDay"/>.</param>
/// <param name="LastDay">The notice's last day (Beijing date): objections are taken until its end.</param>
public sealed record PublicNoticeView(string Id, ApplicationKind Kind, string KindText, string CertificateNumber, string HolderName, string Post, string Change,
    string CityCode, string? CityName, DateTimeOffset StartedAt, DateTimeOffset EndsAt, DateOnly LastDay)
{
    /// <summary>The line of a published notice.</summary>
    public static PublicNoticeView Of(NoticePublication p, ProvinceProfile province) =>
        new(p.ApplicationId, p.Kind, p.Kind.Label(), p.CertificateNumber, p.HolderName, p.Post, p.Change, p.CityCode, province.CityOf(p.CityCode)?.Name,
            p.StartedAt.ToOffset(BeijingTime.Offset), p.EndsAt.ToOffset(BeijingTime.Offset), BeijingTime.DayEndingAt(p.EndsAt));
}

/// <summary>The answer to an objection: its reference, and what happens next.</summary>
/// <param name="NoticeId">The notice (application) objected to.</param>
/// <param name="ObjectionId">The objection's reference (YY01…).</param>
/// <param name="ReceivedAt">When it was recorded.</param>
/// <param name="Text">What happens next, in Chinese.</param>
public sealed record ObjectionReceiptView(string NoticeId, string ObjectionId, DateTimeOffset ReceivedAt, string Text);

/// <summary>
/// The application's public notice as its viewers see it (<c>publicNotice</c> on the application). What an objector wrote is
/// staff's only; the objector's phone shows unmasked only to the reviewers who decide the objection.
/// </summary>
/// <param name="Number">1 for the first notice; a re-approval after an upheld objection starts the next.</param>
/// <param name="Running">Under notice now (公示中).</param>
/// <param name="StartedAt">When the approval put it under notice.</param>
/// <param name="EndsAt">When the notice period ends.</param>
/// <param name="LastDay">Its last day (Beijing date).</param>
/// <param name="WorkingDays">Its length.</param>
/// <param name="Objections">Every objection to its notices (this one's and earlier ones').</param>
public sealed record ApplicationNoticeView(int Number, bool Running, DateTimeOffset StartedAt, DateTimeOffset EndsAt, DateOnly LastDay, int WorkingDays,
    IReadOnlyList<ObjectionView> Objections)
{
    /// <summary>The notice of <paramref name="state"/> as <paramref name="viewer"/> may see it, or null before any notice.</summary>
    public static ApplicationNoticeView? For(ApplicationState state, Actor viewer)
    {
        if (state.PublicNotice is not { } notice) return null;
        var reasons = AccessRules.SeesObjectionReasons(viewer);
        var contact = AccessRules.CanDecideObjection(viewer, state);
        return new ApplicationNoticeView(notice.Number, PublicNoticeRules.IsRunning(state), notice.StartedAt.ToOffset(BeijingTime.Offset),
            notice.Terms.EndsAt.ToOffset(BeijingTime.Offset), BeijingTime.DayEndingAt(notice.Terms.EndsAt), notice.Terms.WorkingDays,
            state.Objections.Select(o =>
            {
                var status = PublicNoticeRules.StatusOf(o, state);
                return new ObjectionView(o.Id, o.Notice, o.ReceivedAt, status, status.Label(), reasons ? o.Reason : null,
                    contact ? o.ContactPhone : reasons ? Masking.Phone(o.ContactPhone) : null, o.Note,
                    o.DecidedBy is { } by ? new ActorView(Caller.NameOf(by.Role), by.Name) : null, o.DecidedAt);
            }).ToList());
    }
}

/// <summary>One objection as a viewer of the application sees it.</summary>
/// <param name="Id">YY01…</param>
/// <param name="Notice">The notice it was filed against.</param>
/// <param name="ReceivedAt">When it came in.</param>
/// <param name="Status"><c>pending</c>, <c>upheld</c>, <c>dismissed</c> or <c>closed</c> (undecided when its notice ended without effect).</param>
/// <param name="StatusText">Its Chinese label.</param>
/// <param name="Reason">What the objector wrote: reviewers and admins only (null for others).</param>
/// <param name="ContactPhone">The objector's phone: unmasked for the reviewers who decide it, masked for other staff, null for others.</param>
/// <param name="Note">The reviewer's note on the decision (the applicant reads it).</param>
/// <param name="DecidedBy">Who decided it.</param>
/// <param name="DecidedAt">When.</param>
public sealed record ObjectionView(string Id, int Notice, DateTimeOffset ReceivedAt, ObjectionStatus Status, string StatusText, string? Reason,
    string? ContactPhone, string? Note, ActorView? DecidedBy, DateTimeOffset? DecidedAt);
