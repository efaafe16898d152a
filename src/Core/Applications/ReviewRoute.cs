namespace FuncRegistry.Core.Applications;

/// <summary>One stop of an application's review: a stage and, for a city stage, the city whose reviewers decide it.</summary>
/// <param name="Stage">City or province.</param>
/// <param name="CityCode">The deciding city's code (city stages only).</param>
public sealed record ReviewStop(ReviewStage Stage, string? CityCode = null);

/// <summary>How applications of one kind are reviewed (settings <c>Workflow:Kinds:&lt;kind&gt;</c>).</summary>
/// <param name="Stages">The review stages in order: none, the province, or the city then the province.</param>
/// <param name="ConfirmedByOtherParty">
/// Whether the other party confirms the submission before any review (seed 004 "个人发起注销 企业进行确认…企业发起注销,个人点确认"):
/// the employer when the holder filed it, the holder when an enterprise filed it.
/// </param>
public sealed record KindWorkflow(IReadOnlyList<ReviewStage> Stages, bool ConfirmedByOtherParty);

/// <summary>
/// The review route of every kind: which stages review it and whether the other party confirms
/// it first. The one place that says who decides an application, in which order. A submission
/// records the route it will follow (<see cref="ApplicationEvent.Submitted.Route"/>), so a change of
/// the settings applies to later submissions, never to an application under review.
/// </summary>
public sealed record WorkflowPolicy(IReadOnlyDictionary<ApplicationKind, KindWorkflow> Kinds)
{
    private static readonly ReviewStage[] CityThenProvince = [ReviewStage.City, ReviewStage.Province];

    /// <summary>The stage lists a kind may be configured with.</summary>
    public static IReadOnlyList<IReadOnlyList<ReviewStage>> AllowedStages { get; } = [[], [ReviewStage.Province], CityThenProvince];

    /// <summary>Today's behaviour: every kind reviewed by the city, then the province; a cancellation and a transfer confirmed first by the other party.</summary>
    public static KindWorkflow DefaultFor(ApplicationKind kind) => kind switch
    {
        ApplicationKind.Cancellation or ApplicationKind.Transfer => new KindWorkflow(CityThenProvince, ConfirmedByOtherParty: true),
        _ => new KindWorkflow(CityThenProvince, ConfirmedByOtherParty: false),
    };

    /// <summary>The defaults for every kind.</summary>
    public static WorkflowPolicy Default { get; } = new(Enum.GetValues<ApplicationKind>().ToDictionary(k => k, DefaultFor));

    /// <summary>The workflow of a kind (its default when not configured).</summary>
    public KindWorkflow For(ApplicationKind kind) => Kinds.GetValueOrDefault(kind) ?? DefaultFor(kind);

    /// <summary>The stops an application's submission will go through, in order: a city stage is its city's.</summary>
    public IReadOnlyList<ReviewStop> RouteFor(ApplicationState state) => state.Enterprise is { } change ? EnterpriseChangeRules.Route(change) :
        For(state.Kind).Stages.Select(s => s == ReviewStage.City ? new ReviewStop(s, state.CityCode) : new ReviewStop(s)).ToList();

    /// <summary>What is wrong with a kind's configured workflow (checked at start), or null; an enterprise change takes no configuration.</summary>
    public static string? Problem(ApplicationKind kind, KindWorkflow workflow)
    {
        var code = char.ToLowerInvariant(kind.ToString()[0]) + kind.ToString()[1..];
        // Its route comes from what changes (EnterpriseChangeRules.Route): any configured workflow would be silently ignored.
        if (kind == ApplicationKind.EnterpriseChange)
            return $"Workflow:Kinds:{code} cannot be configured: an enterprise change is reviewed by the cities and the province its change concerns "
                + "(a rename: its city, then the province; a move: the old city, then the new city), so remove Stages and ConfirmedByOtherParty for it";
        if (!AllowedStages.Any(a => a.SequenceEqual(workflow.Stages)))
            return $"Workflow:Kinds:{code}:Stages must be [], [\"province\"] or [\"city\",\"province\"]";
        // The receiving city checks the social-insurance exception's proof and names the condition met (seed 001).
        if (kind == ApplicationKind.Transfer && !workflow.Stages.SequenceEqual(CityThenProvince))
            return $"Workflow:Kinds:{code}:Stages must be [\"city\",\"province\"]: the receiving enterprise's city checks a transfer (and the social-insurance exception's proof) before the province";
        if (kind is ApplicationKind.BatchReissue or ApplicationKind.EnterpriseChange && workflow.ConfirmedByOtherParty)
            return $"Workflow:Kinds:{code}:ConfirmedByOtherParty cannot be true: an enterprise's own application has no other party to confirm it";
        if (kind == ApplicationKind.Transfer && !workflow.ConfirmedByOtherParty)
            return $"Workflow:Kinds:{code}:ConfirmedByOtherParty cannot be false: the holder's confirmation is their consent to the transfer";
        if (workflow.Stages.Count == 0 && !workflow.ConfirmedByOtherParty)
            return $"Workflow:Kinds:{code}:Stages is [] but nobody confirms a {code}: with no review stage the other party's confirmation approves it, so set ConfirmedByOtherParty to true";
        return null;
    }
}
