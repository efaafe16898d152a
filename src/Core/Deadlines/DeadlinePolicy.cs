using FuncRegistry.Core.Applications;

namespace FuncRegistry.Core.Deadlines;

/// <summary>
/// The review clock's rules (办理时限), counted in working days on <paramref name="Calendar"/>.
/// The whole application is decided within <paramref name="TotalWorkingDays"/> of submission,
/// extendable once by <paramref name="ExtensionWorkingDays"/> (行政许可法 Art. 42); each stage has
/// its own share; reviewers are reminded <paramref name="ReminderLeadWorkingDays"/> before a stage
/// falls due and again when it is overdue; a city stage overdue by more than
/// <paramref name="EscalateAfterWorkingDays"/> goes to the province; an application returned and
/// not resubmitted within <paramref name="ResubmitWithinDays"/> calendar days is withdrawn (0 = never); the
/// documents of a closed (approved or withdrawn) application are purged
/// <paramref name="DocumentRetentionDays"/> calendar days after it closed (0 = kept for ever).
/// </summary>
public sealed record DeadlinePolicy(
    WorkingCalendar Calendar,
    int CityWorkingDays = 5,
    int ProvinceWorkingDays = 10,
    int TotalWorkingDays = 20,
    int ExtensionWorkingDays = 10,
    int ReminderLeadWorkingDays = 1,
    int EscalateAfterWorkingDays = 2,
    int ResubmitWithinDays = 30,
    int DocumentRetentionDays = 0)
{
    /// <summary>The longest retention that can be set (100 years): beyond it, keep for ever (0).</summary>
    public const int MaxDocumentRetentionDays = 36_500;

    /// <summary>Working days a stage has before any extension.</summary>
    public int WorkingDaysOf(ReviewStage stage) => stage == ReviewStage.City ? CityWorkingDays : ProvinceWorkingDays;

    /// <summary>What is wrong with these settings, empty when they are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (CityWorkingDays < 1) problems.Add("CityWorkingDays must be at least 1");
        if (ProvinceWorkingDays < 1) problems.Add("ProvinceWorkingDays must be at least 1");
        if (TotalWorkingDays < 1) problems.Add("TotalWorkingDays must be at least 1");
        if (ExtensionWorkingDays < 1) problems.Add("ExtensionWorkingDays must be at least 1");
        if (ReminderLeadWorkingDays < 0) problems.Add("ReminderLeadWorkingDays must not be negative (0 = no reminder before the due time)");
        if (EscalateAfterWorkingDays < 0) problems.Add("EscalateAfterWorkingDays must not be negative");
        if (ResubmitWithinDays < 0) problems.Add("ResubmitWithinDays must not be negative (0 = a returned application is never withdrawn by the system)");
        if (DocumentRetentionDays is < 0 or > MaxDocumentRetentionDays)
            problems.Add($"DocumentRetentionDays must be between 0 (kept for ever) and {MaxDocumentRetentionDays}");
        return problems;
    }
}
