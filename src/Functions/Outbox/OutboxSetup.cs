using System.Security.Claims;
using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Province;
using FuncRegistry.Functions.Applications;
using FuncRegistry.Functions.Auth;
using FuncRegistry.Functions.Http;
using FuncRegistry.Functions.Sms;
using FuncRegistry.Functions.Storage;

namespace FuncRegistry.Functions.Outbox;

/// <summary>The outbox and SMS: services, the OutboxDispatcher invocation endpoint and the admin's resend.</summary>
public static class OutboxSetup
{
    /// <summary>Registers the outbox, its dispatcher and poller, and the configured SMS gateway.</summary>
    public static IServiceCollection AddOutbox(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<OutboxOptions>(config.GetSection("Outbox"));
        services.AddSmsGateway(config);
        services.AddSingleton<OutboxQueue>();
        services.AddSingleton<SmsDeliveryStore>();
        services.AddSingleton<SmsDispatcher>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService<OutboxPoller>();
        return services;
    }

    /// <summary>Maps <c>POST /OutboxDispatcher</c> (for the Functions host) and the admin's resend.</summary>
    public static IEndpointRouteBuilder MapOutbox(this IEndpointRouteBuilder app)
    {
        app.MapFunctionInvocation(OutboxFunction.Name, OutboxFunction.InvokeAsync);
        app.MapPost("/api/admin/applications/{id}/sms/{messageId}/resend", ResendAsync).WithTags("Admin").RequireActor()
            .RequireRateLimiting(Security.RateLimits.Sms)
            .WithSummary("Resend an SMS parked as failed (admin)");
        return app;
    }

    /// <summary>POST /api/admin/applications/{id}/sms/{messageId}/resend: puts a parked SMS back to pending under a new gateway id and sends it.</summary>
    public static async Task<IResult> ResendAsync(string id, string messageId, ClaimsPrincipal user, ApplicationStore store, SmsDeliveryStore deliveries,
        OutboxQueue queue, OutboxDispatcher dispatcher, ProvinceProfile province, TimeProvider clock, ILogger<OutboxDispatcher> logger,
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

        // As for a transition: the safety net first, so the outbox row never exists without a queue message.
        var receipt = await queue.ScheduleAsync(id, cancellationToken);
        var resent = delivery with
        {
            Status = SmsDeliveryStatus.Pending, Attempts = 0, Resends = delivery.Resends + 1, NextAttemptAt = null, FirstSentAt = null,
            ClaimedUntil = null, Uncertain = false, ResentBy = actor.Name, ResentAt = clock.GetUtcNow(),
        };
        if (!await deliveries.TryResendAsync(resent, cancellationToken))
        {
            await queue.CancelAsync(receipt, cancellationToken);
            return Problems.Problem(409, "concurrent_change", "短信状态已被他人同时修改，请刷新后重试");
        }
        logger.LogInformation("SMS {MessageId} resent by admin {Admin}", messageId, actor.Subject);
        try
        {
            await dispatcher.DispatchAsync(id, CancellationToken.None);
            await queue.CancelAsync(receipt, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Resent SMS {MessageId} left to the outbox queue", messageId);
        }
        var now = await store.LoadAsync(id, cancellationToken) ?? stored;
        return TypedResults.Ok(ApplicationViews.For(now, actor, province));
    }
}
