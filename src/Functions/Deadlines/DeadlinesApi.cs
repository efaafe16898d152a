using System.Security.Claims;
using System.Text.Json.Serialization;
using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Deadlines;
using FuncRegistry.Core.Province;
using FuncRegistry.Functions.Applications;
using FuncRegistry.Functions.Auth;
using FuncRegistry.Functions.Http;

namespace FuncRegistry.Functions.Deadlines;

/// <summary>POST /api/applications/{id}/extend-deadline: <c>{reason}</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ExtendDeadlineRequest(string? Reason);

/// <summary>The review clock's endpoints: the province's extension and the admin's timer rebuild.</summary>
public static class DeadlinesApi
{
    /// <summary>Maps the endpoints.</summary>
    public static void MapDeadlinesApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/applications/{id}/extend-deadline", Extend).Produces<ApplicationView>().WithTags("Reviews").RequireActor().RequireRateLimiting(Security.RateLimits.Sms)
            .WithName("ExtendDeadline").WithSummary("Extend the review deadline")
            .WithDescription("A province reviewer extends the deadline once, by the configured working days; the reason is texted to the applicant.");
        app.MapPost("/api/admin/timers/rebuild", RebuildTimers).Produces<TimerRebuildResult>().WithTags("Admin").RequireActor()
            .WithName("RebuildTimers").WithSummary("Rebuild the review-clock timers")
            .WithDescription("Admin: rewrite every application's review-clock timer from today's settings, after switching document retention on or changing stage lengths.");
    }

    /// <summary>POST /api/admin/timers/rebuild → <c>{applications, rebuilt}</c>.</summary>
    public static async Task<IResult> RebuildTimers(ClaimsPrincipal user, TimerRebuild rebuild, CancellationToken cancellationToken)
    {
        if (Caller.Of(user).Role != Role.Admin) return Problems.Problem(403, "admin_only", "只有管理员可以重建办理时限计时器");
        return TypedResults.Ok(await rebuild.RunAsync(cancellationToken));
    }

    /// <summary>POST /api/applications/{id}/extend-deadline.</summary>
    public static Task<IResult> Extend(string id, ExtendDeadlineRequest request, HttpContext http, ClaimsPrincipal user, ApplicationWorkflow workflow,
        ProvinceProfile province, DeadlinePolicy policy, TimeProvider clock, CancellationToken cancellationToken) =>
        ApplicationsApi.Run(id, http, user, workflow, province, (_, actor) => Task.FromResult<ApplicationCommand>(
            new ApplicationCommand.ExtendDeadline(request.Reason ?? "", policy.ExtensionWorkingDays, actor, clock.GetUtcNow())), null, cancellationToken);
}
