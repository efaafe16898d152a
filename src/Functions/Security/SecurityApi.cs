using System.Security.Claims;
using FuncRegistry.Core.Applications;
using FuncRegistry.Functions.Applications;
using FuncRegistry.Functions.Auth;
using FuncRegistry.Functions.Http;
using FuncRegistry.Functions.Reviews;
using FuncRegistry.Functions.Storage;

namespace FuncRegistry.Functions.Security;

/// <summary>What a review link answers: only where the application now stands (no personal data: the link may travel).</summary>
public sealed record ReviewLinkResult(string ApplicationId, ApplicationStatus Status, string StatusText, int Version);

/// <summary>The audit chain's verdict.</summary>
public sealed record HistoryVerificationView(bool Intact, int? BrokenAt);

/// <summary>Review links (decisions without a bearer token) and the audit-chain check.</summary>
public static class SecurityApi
{
    /// <summary>Maps the endpoints.</summary>
    public static void MapSecurityApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/review-links/{token}", DecideByLink).Produces<ReviewLinkResult>().WithTags("Reviews").AllowAnonymous()
            .RequireRateLimiting(RateLimits.Sms)
            .WithName("DecideByReviewLink").WithSummary("Decide through a review link")
            .WithDescription("A reviewer's decision through a signed, single-use review link (no bearer token).");
        app.MapGet("/api/applications/{id}/history/verify", VerifyHistory).Produces<HistoryVerificationView>().WithTags("Applications").RequireActor()
            .WithName("VerifyHistory").WithSummary("Verify an application's history")
            .WithDescription("Recompute the history's hash chain: {intact, brokenAt?}.");
    }

    /// <summary>POST /api/review-links/{token}: <c>{decision, reason?, toFix?}</c>, acting as the reviewer the link was issued to.</summary>
    public static async Task<IResult> DecideByLink(string token, ReviewDecisionRequest request, ReviewLinkSigner signer, ApplicationStore store,
        ApplicationWorkflow workflow, PublicNotices.PublicNoticeApprovals notices, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (grant, error) = signer.Verify(token);
        if (error == ReviewLinkError.Expired) return Problems.Problem(401, "review_link_expired", "审核链接已过期，请在系统中重新获取");
        if (grant is null) return Problems.Problem(401, "review_link_invalid", "审核链接无效（签名不符或已被篡改）");
        if (ReviewsApi.ProblemOf(request) is { } problem) return problem;
        var decision = request.Decision!.Value;
        var stored = await store.LoadAsync(grant.ApplicationId, cancellationToken);
        if (stored is null || stored.State.Status == ApplicationStatus.None) return Problems.Problem(404, "application_not_found", "申请不存在");
        if (await store.HasMarkerAsync(grant.ApplicationId, grant.LinkId, cancellationToken))
            return Problems.Problem(409, "review_link_used", "该审核链接已使用过，每个链接只能使用一次");
        if (!AccessRules.ReviewLinkApplies(grant.Stage, grant.Round, stored.State)) return Stale(stored.State);

        // The marker is written in the same transaction as the decision; the expected version
        // keeps the link bound to the state it was checked against.
        var result = await workflow.ExecuteOnceAsync(grant.ApplicationId, grant.LinkId, stored.State.Revision,
            s => notices.WithNoticeAsync(ReviewsApi.CommandFor(grant.Stage, decision, request.Reason, grant.Reviewer, clock.GetUtcNow(), request.ToFix?.ToCorrections(),
                request.ConditionMet, request.Strikes), s, cancellationToken), cancellationToken);
        if (result.Refusal is { Kind: RefusalKind.Stale }) return Stale(result.Application?.State ?? stored.State);
        if (result.Refusal is not null) return Problems.From(result.Refusal);
        var s = result.Application!.State;
        return TypedResults.Ok(new ReviewLinkResult(s.Id, s.Status, s.Status.Label(), s.Revision));
    }

    /// <summary>GET /api/applications/{id}/history/verify.</summary>
    public static async Task<IResult> VerifyHistory(string id, ClaimsPrincipal user, ApplicationStore store, CancellationToken cancellationToken)
    {
        var actor = Caller.Of(user);
        var verdict = await store.VerifyHistoryAsync(id, cancellationToken);
        if (verdict is null || (verdict.Intact && verdict.State.Status == ApplicationStatus.None) || !AccessRules.CanVerifyHistory(actor, verdict.State, verdict.Intact))
            return Problems.Problem(404, "application_not_found", "申请不存在");
        return TypedResults.Ok(new HistoryVerificationView(verdict.Intact, verdict.BrokenAt));
    }

    private static IResult Stale(ApplicationState state) => Problems.Problem(409, "review_link_stale",
        $"审核链接对应的审核阶段或轮次已结束（申请当前状态为“{state.Status.Label()}”），不能再用它作出决定");
}
