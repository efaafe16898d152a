using System.Security.Claims;
using System.Text.Json.Serialization;
using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Documents;
using FuncRegistry.Core.Province;
using FuncRegistry.Functions.Applications;
using FuncRegistry.Functions.Auth;
using FuncRegistry.Functions.Deadlines;
using FuncRegistry.Functions.Http;
using FuncRegistry.Functions.Security;
using FuncRegistry.Functions.Storage;

namespace FuncRegistry.Functions.Reviews;

/// <summary>A reviewer's decision.</summary>
public enum ReviewDecision
{
    /// <summary>通过.</summary>
    Approve,
    /// <summary>退回 (reason required).</summary>
    Return,
}

/// <summary>
/// The body of a review callback: <c>{decision, reason?, toFix?}</c>. A return carries the reason
/// and may list, item by item, the fields to correct and the documents to supply again (一次告知).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
/// <c>conditionMet</c>: the city's approval of a transfer that claims the social-insurance exception names the condition that held;
/// <c>strike</c>: lines of a batch reissue struck from its approval.
public sealed record ReviewDecisionRequest(ReviewDecision? Decision, string? Reason, CorrectionsRequest? ToFix = null, List<StrikeRequest>? Strike = null,
    SocialInsuranceCondition? ConditionMet = null)
{
    /// <summary>The strikes of a batch reissue's approval, or null when none.</summary>
    public IReadOnlyList<LineStrike>? Strikes => Strike is null or { Count: 0 } ? null : Strike.Select(s => new LineStrike(s.CertificateNumber ?? "", s.Reason ?? "")).ToList();
}

/// <summary>One line of a batch reissue struck from its approval: <c>{certificateNumber, reason}</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record StrikeRequest(string? CertificateNumber, string? Reason);

/// <summary>What a return asks to correct: field paths as the API writes them (e.g. <c>changes.holderName</c>) and document types.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CorrectionsRequest(List<string>? Fields, List<DocumentType>? DocumentTypes)
{
    /// <summary>The corrections, or null when nothing is listed.</summary>
    public Corrections? ToCorrections() => (Fields?.Count ?? 0) + (DocumentTypes?.Count ?? 0) == 0 ? null : new(Fields ?? [], DocumentTypes ?? []);
}

/// <summary>
/// The reviewer callbacks — the external events the waiting workflow instance reacts to — and
/// the reviewers' queues.
/// </summary>
public static class ReviewsApi
{
    /// <summary>Maps the endpoints.</summary>
    public static void MapReviewsApi(this IEndpointRouteBuilder app)
    {
        // Decisions send SMS (paid): they share the SMS budget.
        var events = app.MapGroup("/api/applications/{id}/events").WithTags("Reviews").RequireActor().RequireRateLimiting(RateLimits.Sms);
        events.MapPost("/city-review", DecideAtCity).Produces<ApplicationView>()
            .WithName("DecideCityReview").WithSummary("Decide the city review")
            .WithDescription("The city reviewer of the certificate's city approves or returns (with a reason and optionally what to fix); the external event the workflow waits for.");
        events.MapPost("/province-review", DecideAtProvince).Produces<ApplicationView>()
            .WithName("DecideProvinceReview").WithSummary("Decide the province review")
            .WithDescription("A province reviewer approves (the change takes effect on the certificate) or returns; the external event the workflow waits for.");
        app.MapReviewWorkbenchApi();
    }

    /// <summary>POST /api/applications/{id}/events/city-review.</summary>
    public static Task<IResult> DecideAtCity(string id, ReviewDecisionRequest request, HttpContext http, ClaimsPrincipal user,
        ApplicationWorkflow workflow, ProvinceProfile province, TimeProvider clock, CancellationToken cancellationToken) =>
        Decide(id, request, ReviewStage.City, http, user, workflow, province, clock, cancellationToken);

    /// <summary>POST /api/applications/{id}/events/province-review.</summary>
    public static Task<IResult> DecideAtProvince(string id, ReviewDecisionRequest request, HttpContext http, ClaimsPrincipal user,
        ApplicationWorkflow workflow, ProvinceProfile province, TimeProvider clock, CancellationToken cancellationToken) =>
        Decide(id, request, ReviewStage.Province, http, user, workflow, province, clock, cancellationToken);

    private static Task<IResult> Decide(string id, ReviewDecisionRequest request, ReviewStage stage, HttpContext http, ClaimsPrincipal user,
        ApplicationWorkflow workflow, ProvinceProfile province, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (ProblemOf(request) is { } problem) return Task.FromResult(problem);
        var notices = http.RequestServices.GetRequiredService<PublicNotices.PublicNoticeApprovals>();
        return ApplicationsApi.Run(id, http, user, workflow, province, (s, actor) =>
            notices.WithNoticeAsync(CommandFor(stage, request.Decision!.Value, request.Reason, actor, clock.GetUtcNow(), request.ToFix?.ToCorrections(), request.ConditionMet,
                request.Strikes), s, cancellationToken), null, cancellationToken);
    }

    /// <summary>What is wrong with a decision's body whatever the application (also for review links), or null.</summary>
    public static IResult? ProblemOf(ReviewDecisionRequest request) => request switch
    {
        { Decision: null } => Problems.Invalid(new() { ["decision"] = ["请选择审核决定：approve（通过）或 return（退回）"] }),
        { Decision: ReviewDecision.Approve, ToFix: { } toFix } when toFix.ToCorrections() is not null =>
            Problems.Invalid(new() { ["toFix"] = ["审核通过时不填写需补正内容；需要补正请选择退回"] }),
        { Decision: ReviewDecision.Return, Strike.Count: > 0 } =>
            Problems.Invalid(new() { ["strike"] = ["退回时不划去证书：退回的是整个申请；划去证书请在审核通过时填写"] }),
        _ => null,
    };

    /// <summary>The command a reviewer's decision in a stage stands for (also used by review links).</summary>
    public static ApplicationCommand CommandFor(ReviewStage stage, ReviewDecision decision, string? reason, Actor actor, DateTimeOffset at, Corrections? toFix = null,
        SocialInsuranceCondition? conditionMet = null, IReadOnlyList<LineStrike>? strike = null) =>
        (stage, decision) switch
        {
            (ReviewStage.City, ReviewDecision.Approve) => new ApplicationCommand.ApproveAtCity(actor, at, conditionMet, strike),
            (ReviewStage.City, _) => new ApplicationCommand.ReturnAtCity(reason ?? "", actor, at, toFix),
            (_, ReviewDecision.Approve) => new ApplicationCommand.ApproveAtProvince(actor, at, strike),
            _ => new ApplicationCommand.ReturnAtProvince(reason ?? "", actor, at, toFix),
        };
}
