using FuncRegistry.Core.Applications;

namespace FuncRegistry.Functions.Workflow;

/// <summary>
/// The external events the review orchestration waits for. Each carries the version of the
/// application the command committed: the orchestration reads the record and carries out what
/// every version up to it asks for, so an event is a wake-up, never an instruction. One it has
/// already handled (a duplicate, or an earlier round's, raised late) is ignored.
/// </summary>
public static class ReviewEvents
{
    /// <summary>The city reviewer approved, returned or rejected.</summary>
    public const string CityDecision = nameof(CityDecision);

    /// <summary>The province reviewer approved, returned or rejected.</summary>
    public const string ProvinceDecision = nameof(ProvinceDecision);

    /// <summary>The applicant resubmitted a returned application: review starts again at the city.</summary>
    public const string Resubmitted = nameof(Resubmitted);

    /// <summary>Any other transition under review: a withdrawal, an extension, a deadline reached.</summary>
    public const string Changed = nameof(Changed);

    /// <summary>
    /// Not a transition: work is due on the record as it stands (a safety-net timer fell due, an
    /// admin resent an SMS or restarted the review). Always read, whatever version it carries.
    /// </summary>
    public const string WorkDue = nameof(WorkDue);

    /// <summary>Every name, in the order the orchestration registers its waits.</summary>
    public static readonly IReadOnlyList<string> All = [CityDecision, ProvinceDecision, Resubmitted, Changed, WorkDue];

    /// <summary>The event a transition raises.</summary>
    public static string For(ApplicationState before, IEnumerable<ApplicationEvent> events)
    {
        foreach (var e in events)
        {
            switch (e)
            {
                case ApplicationEvent.CityReviewApproved or ApplicationEvent.CityReviewReturned:
                    return CityDecision;
                case ApplicationEvent.ProvinceReviewApproved or ApplicationEvent.ProvinceReviewReturned:
                    return ProvinceDecision;
                case ApplicationEvent.Submitted when before.Status.IsReturned():
                    return Resubmitted;
            }
        }
        return Changed;
    }
}

/// <summary>What one run of <see cref="CarryOutReviewWork"/> found and did.</summary>
/// <param name="Version">The application's version it read (every version up to it is handled).</param>
/// <param name="Status">Its status then.</param>
/// <param name="UnderReview">Whether it is still under review (pending a decision, or returned to the applicant): the orchestration waits.</param>
/// <param name="WorkLeft">Side effects still waiting (an SMS retry not yet due, a failed step): the record's safety-net timer wakes the orchestration for them.</param>
/// <param name="NextCheckAt">When the statutory clock next needs a look (a reminder, an escalation, the automatic withdrawal); null when nothing is ahead.</param>
public sealed record ReviewProgress(int Version, ApplicationStatus Status, bool UnderReview, bool WorkLeft, DateTimeOffset? NextCheckAt = null);

/// <summary>The orchestration's custom status, as operators see it.</summary>
/// <param name="Status">The application's status at the last read.</param>
/// <param name="Version">The last version handled.</param>
/// <param name="Awaiting">The decision it waits for: the city's, the province's, or the applicant's resubmission.</param>
/// <param name="NextCheckAt">When its durable timer for the statutory clock fires, if one is set.</param>
public sealed record ReviewStatus(ApplicationStatus Status, int Version, string? Awaiting, DateTimeOffset? NextCheckAt = null);
