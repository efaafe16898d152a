using System.Security.Claims;
using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Province;
using FuncRegistry.Functions.Applications;
using FuncRegistry.Functions.Auth;
using FuncRegistry.Functions.Http;
using FuncRegistry.Functions.Sms;
using FuncRegistry.Functions.Storage;
using Microsoft.Extensions.Options;

namespace FuncRegistry.Functions.Outbox;

/// <summary>The outbox and SMS: services and the admin's resend.</summary>
public static class OutboxSetup
{
    /// <summary>Registers the outbox, its dispatcher and the configured SMS gateway.</summary>
    public static IServiceCollection AddOutbox(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<OutboxOptions>(config.GetSection("Outbox"));
        services.AddSmsGateway(config);
        services.AddSingleton<PoisonQueue>();
        services.AddSingleton<SmsDeliveryStore>();
        services.AddSingleton<SmsFailureIndex>();
        services.AddSingleton<SmsDispatcher>();
        services.AddSingleton<OutboxDispatcher>();
        return services;
    }

    /// <summary>Maps the admin's list of failed SMS and the resend.</summary>
    public static IEndpointRouteBuilder MapOutbox(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/admin/sms/failures", ListFailuresAsync).Produces<PageView<SmsFailureView>>().WithTags("Admin").RequireActor()
            .WithName("ListSmsFailures").WithSummary("List the SMS parked as failed")
            .WithDescription("Admin: every SMS parked as failed across all applications, the latest failure first (one key range), the phone masked; "
                + "each names its application and the message id the resend takes. An SMS leaves the list when it is resent.");
        app.MapPost("/api/admin/applications/{id}/sms/{messageId}/resend", ResendAsync).Produces<ApplicationView>().WithTags("Admin").RequireActor()
            .RequireRateLimiting(Security.RateLimits.Sms)
            .WithName("ResendSms").WithSummary("Resend a failed SMS")
            .WithDescription("Admin: resend an SMS parked as failed, as a new message.");
        return app;
    }

    /// <summary>GET /api/admin/sms/failures.</summary>
    public static async Task<IResult> ListFailuresAsync(ClaimsPrincipal user, SmsFailureIndex failures, int? pageSize, string? continuationToken,
        CancellationToken cancellationToken)
    {
        if (Caller.Of(user).Role != Role.Admin) return Problems.Problem(403, "admin_only", "只有管理员可以查看发送失败的短信");
        if (pageSize is < 1 or > 100) return Problems.Invalid(new() { ["pageSize"] = ["每页条数须在1到100之间"] });
        if (!ApplicationIndex.IsPlausibleContinuationToken(continuationToken)) return Problems.Invalid(new() { ["continuationToken"] = ["翻页令牌无效"] });
        var page = await failures.ListAsync(pageSize ?? 20, continuationToken, cancellationToken);
        return TypedResults.Ok(new PageView<SmsFailureView>(page.Items.Select(SmsFailureView.Of).ToList(), page.ContinuationToken));
    }

    /// <summary>POST /api/admin/applications/{id}/sms/{messageId}/resend: puts a parked SMS back to pending under a new gateway id and sends it.</summary>
    public static async Task<IResult> ResendAsync(string id, string messageId, ClaimsPrincipal user, ApplicationStore store, SmsDeliveryStore deliveries,
        Workflow.ReviewOrchestrations orchestrations, IOptions<OutboxOptions> options, ProvinceProfile province, TimeProvider clock, ILogger<OutboxDispatcher> logger,
        CancellationToken cancellationToken)
    {
        var actor = Caller.Of(user);
        if (actor.Role != Role.Admin) return Problems.Problem(403, "admin_only", "只有管理员可以重新发送短信");
        var stored = await store.LoadAsync(id, cancellationToken);
        if (stored is null || stored.State.Status == ApplicationStatus.None)
            return Problems.Problem(404, "application_not_found", "申请不存在");
        var delivery = stored.Sms.FirstOrDefault(d => d.MessageId == messageId);
        if (delivery is null) return Problems.Problem(404, "sms_not_found", "该申请没有这条短信");
        if (delivery.Status != SmsDeliveryStatus.Failed)
            return Problems.Problem(409, "sms_not_failed", $"只有发送失败的短信可以重新发送（当前状态：{SmsViews.Label(delivery.Status)}）");

        var resent = delivery with
        {
            Status = SmsDeliveryStatus.Pending, Attempts = 0, Resends = delivery.Resends + 1, NextAttemptAt = null, FirstSentAt = null,
            ClaimedUntil = null, Uncertain = false, ResentBy = actor.Name, ResentAt = clock.GetUtcNow(),
        };
        // As for a transition: the outbox row comes back together with a safety-net timer.
        var safetyNet = new TimerIndex.Timer(id, clock.GetUtcNow() + options.Value.SafetyNetDelay, stored.State.Version);
        if (!await deliveries.TryResendAsync(delivery, resent, safetyNet, cancellationToken))
            return Problems.Problem(409, "concurrent_change", "短信状态已被他人同时修改，请刷新后重试");
        logger.LogInformation("SMS {MessageId} resent by admin {Admin}", messageId, actor.Subject);
        // The review orchestration sends it (started again if the application's review has ended).
        try
        {
            if (await store.LoadAsync(id, CancellationToken.None) is { } resentApplication)
                await orchestrations.WakeAndWaitAsync(resentApplication, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Resent SMS {MessageId} left to its safety-net timer", messageId);
        }
        var now = await store.LoadAsync(id, cancellationToken) ?? stored;
        return TypedResults.Ok(ApplicationViews.For(now, actor, province));
    }
}
