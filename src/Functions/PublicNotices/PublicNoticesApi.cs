using System.Security.Claims;
using System.Text.Json.Serialization;
using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Certificates;
using FuncRegistry.Core.Deadlines;
using FuncRegistry.Core.Province;
using FuncRegistry.Functions.Applications;
using FuncRegistry.Functions.Auth;
using FuncRegistry.Functions.Http;
using FuncRegistry.Functions.Security;
using FuncRegistry.Functions.Storage;
using Microsoft.Extensions.Options;

namespace FuncRegistry.Functions.PublicNotices;

/// <summary>POST /api/public-notices/{id}/objections: <c>{reason, contactPhone}</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ObjectionRequest(string? Reason, string? ContactPhone);

/// <summary>POST /api/applications/{id}/objections/{objectionId}/decision: <c>{decision: uphold|dismiss, note}</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ObjectionDecisionRequest(ObjectionDecision? Decision, string? Note);

/// <summary>
/// The province's approvals under public notice (ADR 0022): the approval command carries the notice's setting and the
/// certificate's post when the notice applies to the application's kind, and nothing more otherwise (no extra read).
/// </summary>
public sealed class PublicNoticeApprovals(PublicNoticePolicy policy, ApplicationWorkflow workflow)
{
    /// <summary><paramref name="command"/>, with the notice's terms when it is a province approval the notice applies to.</summary>
    public async Task<ApplicationCommand> WithNoticeAsync(ApplicationCommand command, ApplicationState state, CancellationToken cancellationToken = default)
    {
        if (command is not ApplicationCommand.ApproveAtProvince approve || !policy.AppliesTo(state.Kind)) return command;
        var certificate = await workflow.CertificateOfAsync(state, cancellationToken);
        return approve with { PublicNotice = policy, Post = Posts.Format(certificate.Post, certificate.Specialty) };
    }
}

/// <summary>The public notice: its public list and objections (no sign-in), and the reviewers' decisions on objections.</summary>
public static class PublicNoticesApi
{
    /// <summary>Registers the setting (<c>Registry:PublicNoticeDays</c> on the review clock's calendar), the index and the approvals.</summary>
    public static IServiceCollection AddPublicNotices(this IServiceCollection services)
    {
        services.AddSingleton(sp => new PublicNoticePolicy(sp.GetRequiredService<IOptions<RegistryOptions>>().Value.PublicNoticeDays,
            sp.GetRequiredService<DeadlinePolicy>().Calendar));
        services.AddSingleton<PublicNoticeIndex>();
        services.AddSingleton<PublicNoticeApprovals>();
        return services;
    }

    /// <summary>Maps the endpoints.</summary>
    public static void MapPublicNoticesApi(this IEndpointRouteBuilder app)
    {
        var notices = app.MapGroup("/api/public-notices").WithTags("Public notices").AllowAnonymous();
        notices.MapGet("", List).Produces<PageView<PublicNoticeView>>().RequireRateLimiting(RateLimits.PublicNotices)
            .WithName("ListPublicNotices").WithSummary("List the public notices")
            .WithDescription("No sign-in. What is under public notice (公示) now, the soonest ending first: the certificate, the holder's name masked, "
                + "the post, what the approval changes, the notice's start and last day, and the id to object to. Empty while Registry:PublicNoticeDays is 0.");
        notices.MapPost("/{id}/objections", Object).Produces<ObjectionReceiptView>(201).Produces<ObjectionReceiptView>().RequireRateLimiting(RateLimits.Objections)
            .WithName("FileObjection").WithSummary("Object to a public notice")
            .WithDescription("No sign-in. {reason, contactPhone} while the notice runs → 201 with the objection's reference (the same objection again → 200). "
                + "The effect waits until a province reviewer has decided every objection; the applicant is told by SMS, the objector's phone is shown to the reviewers only.");
        app.MapPost("/api/applications/{id}/objections/{objectionId}/decision", Decide).Produces<ApplicationView>().WithTags("Reviews").RequireActor()
            .RequireRateLimiting(RateLimits.Sms)
            .WithName("DecideObjection").WithSummary("Decide an objection to a public notice")
            .WithDescription("A province reviewer upholds an objection ({\"decision\":\"uphold\",\"note\":…}: the notice ends without effect and the application "
                + "is back in the province's review) or dismisses it (the notice goes on; dismissing the last one after the notice period makes the approval take effect).");
    }

    /// <summary>GET /api/public-notices.</summary>
    public static async Task<IResult> List(PublicNoticeIndex index, ProvinceProfile province, TimeProvider clock, int? pageSize, string? continuationToken,
        CancellationToken cancellationToken)
    {
        if (pageSize is < 1 or > 100) return Problems.Invalid(new() { ["pageSize"] = ["每页条数须在1到100之间"] });
        if (!ApplicationIndex.IsPlausibleContinuationToken(continuationToken)) return Problems.Invalid(new() { ["continuationToken"] = ["翻页令牌无效"] });
        var page = await index.ListAsync(clock.GetUtcNow(), pageSize ?? 20, continuationToken, cancellationToken);
        return TypedResults.Ok(new PageView<PublicNoticeView>(page.Items.Select(p => PublicNoticeView.Of(p, province)).ToList(), page.ContinuationToken));
    }

    /// <summary>POST /api/public-notices/{id}/objections.</summary>
    public static async Task<IResult> Object(string id, ObjectionRequest request, ApplicationWorkflow workflow, TimeProvider clock, CancellationToken cancellationToken)
    {
        // Bad input is answered before anything is read.
        var (reason, phone, errors) = PublicNoticeRules.CheckObjection(request.Reason, request.ContactPhone);
        if (errors.Count > 0) return Problems.Invalid(errors);
        var decidedOn = -1;
        var result = await workflow.ExecuteAsync(id, state =>
        {
            decidedOn = state.Version;
            return Task.FromResult<ApplicationCommand>(new ApplicationCommand.FileObjection(reason, phone, Actor.Public, clock.GetUtcNow()));
        }, cancellationToken: cancellationToken);
        // An unknown application reads like a notice that is not (or no longer) running: the public learns nothing else.
        if (result.Refusal is { Kind: RefusalKind.NotFound }) return Problems.Problem(404, "public_notice_not_found", "公示不存在或公示期已结束");
        if (result.Refusal is not null) return Problems.From(result.Refusal);
        var state = result.Application!.State;
        var objection = state.Objections.Last(o => o.Reason == reason && o.ContactPhone == phone);
        var receipt = new ObjectionReceiptView(state.Id, objection.Id, objection.ReceivedAt.ToOffset(BeijingTime.Offset),
            $"异议已收到（编号{objection.Id}），审核部门将核查处理；公示期满且异议处理完毕前，该申请不生效。");
        return state.Version > decidedOn ? TypedResults.Created((string?)null, receipt) : TypedResults.Ok(receipt);
    }

    /// <summary>POST /api/applications/{id}/objections/{objectionId}/decision.</summary>
    public static Task<IResult> Decide(string id, string objectionId, ObjectionDecisionRequest request, HttpContext http, ClaimsPrincipal user,
        ApplicationWorkflow workflow, ProvinceProfile province, TimeProvider clock, CancellationToken cancellationToken) =>
        request.Decision is not { } decision
            ? Task.FromResult(Problems.Invalid(new() { ["decision"] = ["请选择处理决定：uphold（异议成立，转回审核）或 dismiss（异议不成立，公示继续）"] }))
            : ApplicationsApi.Run(id, http, user, workflow, province, (_, actor) => Task.FromResult<ApplicationCommand>(
                new ApplicationCommand.DecideObjection(objectionId, decision, request.Note ?? "", actor, clock.GetUtcNow())), null, cancellationToken);
}
