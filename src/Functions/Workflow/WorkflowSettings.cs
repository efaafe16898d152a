using FuncRegistry.Core.Applications;

namespace FuncRegistry.Functions.Workflow;

/// <summary>
/// The <c>Workflow</c> section: the review route per kind (<c>Workflow:Kinds:&lt;kind&gt;</c>). Bound so the
/// settings catalog lists it; <see cref="WorkflowSettings.Read"/> reads it (an empty array must stay empty).
/// </summary>
public sealed class WorkflowOptions
{
    /// <summary>Per kind (<c>change</c>, <c>reissue</c>, <c>cancellation</c>, <c>extension</c>, …): its review route.</summary>
    public Dictionary<string, WorkflowKindOptions> Kinds { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>The review route of one kind.</summary>
public sealed class WorkflowKindOptions
{
    /// <summary><c>[]</c>, <c>["province"]</c> or <c>["city","province"]</c> (as an app setting: empty, <c>province</c>, <c>city,province</c>).</summary>
    public List<string>? Stages { get; set; }

    /// <summary>Whether the other party (the holder, or the employer) confirms it before any review.</summary>
    public bool? ConfirmedByOtherParty { get; set; }
}

/// <summary>
/// Reads the review route of each kind from <c>Workflow:Kinds:&lt;kind&gt;</c>: <c>Stages</c> as a JSON
/// array (<c>[]</c>, <c>["province"]</c>, <c>["city","province"]</c>) or, as app settings and
/// environment variables write it, a comma-separated value (<c>Workflow__Kinds__cancellation__Stages=</c>
/// for none, <c>=province</c>, <c>=city,province</c>), and <c>ConfirmedByOtherParty</c> (true/false).
/// A kind not configured keeps <see cref="WorkflowPolicy.DefaultFor"/>. Read by hand, not bound:
/// the binder cannot tell an empty array from an absent one.
/// </summary>
public static class WorkflowSettings
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Workflow:Kinds";

    /// <summary>The policy the configuration describes; throws naming every problem, so a typo stops the app at start.</summary>
    public static WorkflowPolicy Read(IConfiguration configuration)
    {
        var problems = new List<string>();
        var kinds = new Dictionary<ApplicationKind, KindWorkflow>();
        foreach (var section in configuration.GetSection(Section).GetChildren())
        {
            if (!Enum.TryParse<ApplicationKind>(section.Key, ignoreCase: true, out var kind) || int.TryParse(section.Key, out _))
            {
                problems.Add($"{Section}:{section.Key} is not a kind: use one of {string.Join(", ", Enum.GetValues<ApplicationKind>().Select(Code))}");
                continue;
            }
            var workflow = WorkflowPolicy.DefaultFor(kind);
            var stages = section.GetSection("Stages");
            if (stages.Exists())
            {
                var names = stages.GetChildren().Any()
                    ? stages.GetChildren().Select(c => c.Value ?? "").ToList()
                    : (stages.Value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
                var parsed = new List<ReviewStage>();
                foreach (var name in names)
                {
                    if (Enum.TryParse<ReviewStage>(name, ignoreCase: true, out var stage) && !int.TryParse(name, out _)) parsed.Add(stage);
                    else problems.Add($"{Section}:{section.Key}:Stages names an unknown stage '{name}': use city or province");
                }
                workflow = workflow with { Stages = parsed };
            }
            if (section["ConfirmedByOtherParty"] is { } confirmed)
            {
                if (bool.TryParse(confirmed, out var value)) workflow = workflow with { ConfirmedByOtherParty = value };
                else problems.Add($"{Section}:{section.Key}:ConfirmedByOtherParty must be true or false");
            }
            if (WorkflowPolicy.Problem(kind, workflow) is { } problem) problems.Add(problem);
            kinds[kind] = workflow;
        }
        if (problems.Count > 0) throw new InvalidOperationException("Invalid review routes: " + string.Join("; ", problems));
        return new WorkflowPolicy(Enum.GetValues<ApplicationKind>().ToDictionary(k => k, k => kinds.GetValueOrDefault(k) ?? WorkflowPolicy.DefaultFor(k)));
    }

    /// <summary>The kind as the API and settings write it, e.g. <c>enterpriseChange</c>.</summary>
    public static string Code(ApplicationKind kind) => char.ToLowerInvariant(kind.ToString()[0]) + kind.ToString()[1..];
}
