using System.Security.Claims;
using FuncRegistry.Core.Applications;
using FuncRegistry.Functions.Auth;
using FuncRegistry.Functions.Http;
using FuncRegistry.Functions.Storage;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.Functions.Workflow;

/// <summary>An application's review orchestration instance, as an operator sees it.</summary>
/// <param name="InstanceId">The instance id: the application id.</param>
/// <param name="RuntimeStatus">Pending, Running, Completed, Failed, Terminated, Suspended or ContinuedAsNew.</param>
/// <param name="CustomStatus">What it last read and waits for; null before its first read.</param>
/// <param name="CreatedAt">When this execution was started.</param>
/// <param name="LastUpdatedAt">Its last change.</param>
public sealed record OrchestrationView(string InstanceId, string RuntimeStatus, ReviewStatus? CustomStatus, DateTimeOffset CreatedAt, DateTimeOffset LastUpdatedAt)
{
    /// <summary>The view of an instance.</summary>
    public static OrchestrationView Of(OrchestrationMetadata instance) => new(instance.InstanceId, instance.RuntimeStatus.ToString(),
        instance.SerializedCustomStatus is { Length: > 0 } ? instance.ReadCustomStatusAs<ReviewStatus>() : null, instance.CreatedAt, instance.LastUpdatedAt);
}

/// <summary>The operators' view of the review orchestrations: look at one, restart one.</summary>
public static class OrchestrationsApi
{
    /// <summary>Maps the endpoints.</summary>
    public static void MapOrchestrationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/orchestrations/{id}").WithTags("Admin").RequireActor();
        group.MapGet("", GetAsync).Produces<OrchestrationView>()
            .WithName("GetOrchestration").WithSummary("Get an application's review orchestration")
            .WithDescription("Admin: the Durable orchestration instance of an application's review (instance id = application id): its runtime status, what it waits for, when it started and last changed.");
        group.MapPost("/restart", RestartAsync).Produces<OrchestrationView>()
            .WithName("RestartOrchestration").WithSummary("Restart an application's review orchestration")
            .WithDescription("Admin: a failed, terminated or completed instance is started again (it reads the application as stored and carries out what is left); a running one is woken to read it again.");
    }

    /// <summary>GET /api/admin/orchestrations/{id}.</summary>
    public static async Task<IResult> GetAsync(string id, ClaimsPrincipal user, ReviewOrchestrations orchestrations, CancellationToken cancellationToken)
    {
        if (Caller.Of(user).Role != Role.Admin) return Problems.Problem(403, "admin_only", "只有管理员可以查看审核流程实例");
        var instance = await orchestrations.InstanceAsync(id, cancellationToken);
        return instance is null ? NotFound() : TypedResults.Ok(OrchestrationView.Of(instance));
    }

    /// <summary>POST /api/admin/orchestrations/{id}/restart.</summary>
    public static async Task<IResult> RestartAsync(string id, ClaimsPrincipal user, ApplicationStore store, ReviewOrchestrations orchestrations, ILogger<ReviewOrchestrations> logger,
        CancellationToken cancellationToken)
    {
        var actor = Caller.Of(user);
        if (actor.Role != Role.Admin) return Problems.Problem(403, "admin_only", "只有管理员可以重启审核流程实例");
        var stored = await store.LoadAsync(id, cancellationToken);
        if (stored is null || stored.State.Status is ApplicationStatus.None or ApplicationStatus.Draft)
            return Problems.Problem(404, "application_not_found", "申请不存在，或尚未提交");
        await orchestrations.EnsureRunningAsync(id, stored.State.Version, cancellationToken);
        logger.LogInformation("Review orchestration {ApplicationId} restarted by admin {Admin}", id, actor.Subject);
        var instance = await orchestrations.InstanceAsync(id, cancellationToken);
        return instance is null ? NotFound() : TypedResults.Ok(OrchestrationView.Of(instance));
    }

    private static IResult NotFound() => Problems.Problem(404, "orchestration_not_found", "该申请没有审核流程实例（尚未提交，或实例已被清理）");
}
