using FuncRegistry.Core.Applications;
using FuncRegistry.Functions.Auth;
using FuncRegistry.Functions.Http;

namespace FuncRegistry.Functions.Applications;

/// <summary>A commitment (承诺书) wording: what an applicant accepts by submitting (<c>commitmentVersion</c>), and what reviewers see was accepted.</summary>
public sealed record CommitmentView(ApplicationKind Kind, string KindText, string Version, string Text)
{
    /// <summary>The view of a wording.</summary>
    public static CommitmentView Of(Commitments.Commitment c) => new(c.Kind, c.Kind.Label(), c.Version, c.Text);

    /// <summary>The wording an application's last submission accepted, or null (not submitted, or submitted before commitments were recorded).</summary>
    public static CommitmentView? AcceptedBy(ApplicationState state) =>
        Commitments.Find(state.Kind, state.CommitmentVersion) is { } accepted ? Of(accepted) : null;
}

/// <summary>The commitments in force, for a portal to show before it submits.</summary>
public static class CommitmentsApi
{
    /// <summary>Maps the endpoint.</summary>
    public static void MapCommitmentsApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/commitments/{kind}", Get).Produces<CommitmentView>().WithTags("Applications").RequireActor()
            .WithName("GetCommitment").WithSummary("Get the commitment in force for a kind")
            .WithDescription("The commitment (承诺书) an applicant of this kind accepts by submitting: {kind, kindText, version, text}. "
                + "Show the text, then submit with {commitmentVersion: version}; a submission naming another version is refused (422 commitment_required, "
                + "commitment_outdated, commitment_unknown, each with currentCommitmentVersion).");

    /// <summary>GET /api/commitments/{kind}.</summary>
    public static IResult Get(string kind) =>
        QueryValues.TryParse(kind, Enum.GetValues<ApplicationKind>(), out var applicationKind)
            ? TypedResults.Ok(CommitmentView.Of(Commitments.Current(applicationKind)))
            : Problems.Invalid(new() { ["kind"] = [$"申请类型无效，可选：{QueryValues.Names(Enum.GetValues<ApplicationKind>())}"] });
}
