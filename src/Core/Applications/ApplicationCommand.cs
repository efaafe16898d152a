using FuncRegistry.Core.Certificates;
using FuncRegistry.Core.Deadlines;
using FuncRegistry.Core.Documents;

namespace FuncRegistry.Core.Applications;

/// <summary>What a caller asks of an application. Time comes in on the command.</summary>
public abstract record ApplicationCommand(Actor By, DateTimeOffset At)
{
    /// <summary>File a draft for a certificate; <paramref name="ExtensionWindow"/> says when an extension may be filed.</summary>
    /// <paramref name="Transfer"/> is what the receiving enterprise gives for a transfer, <paramref name="Batch"/> the numbers a batch
    /// reissue asks for, as the register has them (null for other kinds).
    public sealed record Create(string ApplicationId, ApplicationKind Kind, Certificate Certificate, ApplicationDetails Details, ExtensionWindow ExtensionWindow,
        Actor By, DateTimeOffset At, TransferFiling? Transfer = null, IReadOnlyList<BatchCandidate>? Batch = null)
        : ApplicationCommand(By, At);
    /// <summary>
    /// An enterprise files a draft change of its own name or city (<see cref="EnterpriseChangeRules"/>):
    /// <paramref name="Enterprise"/> as the register knows it now, <paramref name="Province"/> for its cities.
    /// </summary>
    public sealed record CreateEnterpriseChange(string ApplicationId, Enterprises.Enterprise Enterprise, string? NewName, string? NewCityCode,
        Province.ProvinceProfile Province, ApplicationDetails Details, Actor By, DateTimeOffset At) : ApplicationCommand(By, At);
    /// <summary>Replace the details of a draft or returned application.</summary>
    public sealed record Edit(ApplicationDetails Details, Certificate Certificate, Actor By, DateTimeOffset At) : ApplicationCommand(By, At);
    /// <summary>Delete a draft.</summary>
    public sealed record Delete(Actor By, DateTimeOffset At) : ApplicationCommand(By, At);
    /// <summary>
    /// Send a draft or returned application to city review; <paramref name="DocumentPolicy"/> says which documents it needs,
    /// <paramref name="ExtensionWindow"/> when an extension may be filed.
    /// </summary>
    /// <paramref name="Workflow"/> gives the review route (null: <see cref="WorkflowPolicy.Default"/>).
    /// <paramref name="CommitmentVersion"/> is the version of the kind's commitment the applicant accepted (<see cref="SubmissionTerms"/>);
    /// <paramref name="Phone"/> what is known of the notification phone's verification (null: none required).
    public sealed record Submit(Certificate Certificate, DocumentPolicy DocumentPolicy, ExtensionWindow ExtensionWindow, Actor By, DateTimeOffset At,
        WorkflowPolicy? Workflow = null, IReadOnlyList<BatchCandidate>? Batch = null, string? CommitmentVersion = null, Phones.PhoneCheck? Phone = null)
        : ApplicationCommand(By, At);
    /// <summary>The other party (the holder, or the employer) confirms a submission (<paramref name="Accept"/>) or refuses it, which withdraws it.</summary>
    public sealed record Confirm(bool Accept, Actor By, DateTimeOffset At) : ApplicationCommand(By, At);
    /// <summary>Attach a received file (its bytes already stored privately under the server's name) as a document.</summary>
    public sealed record AttachDocument(DocumentUpload Upload, DocumentPolicy DocumentPolicy, Actor By, DateTimeOffset At) : ApplicationCommand(By, At);
    /// <summary>
    /// Open (read) a document: recorded in the history when a reviewer or an admin opens it, not when
    /// the filer or the holder opens their own.
    /// </summary>
    public sealed record OpenDocument(string DocumentId, Actor By, DateTimeOffset At) : ApplicationCommand(By, At);
    /// <summary>Remove a document from a draft or returned application.</summary>
    public sealed record RemoveDocument(string DocumentId, Actor By, DateTimeOffset At) : ApplicationCommand(By, At);
    /// <summary>Take back a submitted application.</summary>
    public sealed record Withdraw(Actor By, DateTimeOffset At) : ApplicationCommand(By, At);
    /// <summary>The city reviewer approves.</summary>
    /// <paramref name="ConditionMet"/>: for a transfer claiming the social-insurance exception, which condition held;
    /// <paramref name="Strike"/>: the lines of a batch reissue the reviewer strikes.
    public sealed record ApproveAtCity(Actor By, DateTimeOffset At, SocialInsuranceCondition? ConditionMet = null, IReadOnlyList<LineStrike>? Strike = null)
        : ApplicationCommand(By, At);
    /// <summary>The city reviewer returns it with a reason and, item by item, what to correct.</summary>
    public sealed record ReturnAtCity(string Reason, Actor By, DateTimeOffset At, Corrections? ToFix = null) : ApplicationCommand(By, At);
    /// <summary>The province reviewer approves: the application takes effect, or goes under public notice when <paramref name="PublicNotice"/> applies to its kind.</summary>
    /// <paramref name="Post"/>: the certificate's post as the notice publishes it (needed only when the notice applies).
    public sealed record ApproveAtProvince(Actor By, DateTimeOffset At, IReadOnlyList<LineStrike>? Strike = null, PublicNoticePolicy? PublicNotice = null,
        string? Post = null) : ApplicationCommand(By, At);
    /// <summary>The province reviewer returns it with a reason and, item by item, what to correct.</summary>
    public sealed record ReturnAtProvince(string Reason, Actor By, DateTimeOffset At, Corrections? ToFix = null) : ApplicationCommand(By, At);
    /// <summary>A province reviewer extends the deadline by <paramref name="WorkingDays"/> (the configured extension), with a reason for the applicant.</summary>
    public sealed record ExtendDeadline(string Reason, int WorkingDays, Actor By, DateTimeOffset At) : ApplicationCommand(By, At);
    /// <summary>The system records what of the review clock has fallen due by <paramref name="At"/>: reminders, escalation, withdrawal, the purge of a closed application's documents.</summary>
    public sealed record CheckDeadlines(DeadlinePolicy Policy, Actor By, DateTimeOffset At) : ApplicationCommand(By, At);
    /// <summary>Someone of the public (<see cref="Actor.Public"/>) objects to an application under public notice.</summary>
    public sealed record FileObjection(string Reason, string ContactPhone, Actor By, DateTimeOffset At) : ApplicationCommand(By, At);
    /// <summary>A reviewer of the last review stop upholds or dismisses an objection, with a note the applicant reads.</summary>
    public sealed record DecideObjection(string ObjectionId, ObjectionDecision Decision, string Note, Actor By, DateTimeOffset At) : ApplicationCommand(By, At);
    /// <summary>The filer changes the phone that receives the results (<see cref="NotificationPhoneRules"/>); <paramref name="Check"/> is its verification.</summary>
    public sealed record ChangeNotificationPhone(string Phone, Phones.PhoneCheck Check, Actor By, DateTimeOffset At) : ApplicationCommand(By, At);
}
