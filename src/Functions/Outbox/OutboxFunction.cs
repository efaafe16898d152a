using FuncRegistry.Core.Applications;
using FuncRegistry.Functions.Http;

namespace FuncRegistry.Functions.Outbox;

/// <summary>
/// The <c>OutboxDispatcher</c> function (OutboxDispatcher/function.json: a queue trigger on the
/// outbox queue): the Functions host posts each queue message to <c>/OutboxDispatcher</c> and
/// deletes it on 200; on 500 it makes it visible again and, after host.json's
/// <c>maxDequeueCount</c>, moves it to <c>outbox-poison</c>. Runs the same dispatcher as the
/// local poller. With the host driving the queue, set <c>Outbox:PollQueue=false</c>.
/// </summary>
public static class OutboxFunction
{
    /// <summary>The function's name: its folder and its route.</summary>
    public const string Name = "OutboxDispatcher";

    /// <summary>The trigger's binding name in function.json.</summary>
    public const string Binding = "message";

    /// <summary>POST /OutboxDispatcher.</summary>
    public static async Task<IResult> InvokeAsync(FunctionInvocationRequest invocation, OutboxDispatcher dispatcher, OutboxQueue queue,
        ILogger<OutboxDispatcher> logger, CancellationToken cancellationToken)
    {
        var applicationId = invocation.Text(Binding)?.Trim();
        var delivery = invocation.Number("DequeueCount") ?? 1;
        if (!ApplicationIds.IsWellFormed(applicationId))
        {
            // Nothing would ever make it succeed: straight to the poison queue, kept for an operator.
            await queue.PoisonAsync(applicationId ?? "", cancellationToken);
            logger.LogError("Outbox message names no application; moved to the poison queue");
            return CustomHandler.Completed(["outbox message names no application: moved to the poison queue"]);
        }
        try
        {
            var dispatched = await dispatcher.DispatchAsync(applicationId!, cancellationToken);
            var waiting = dispatched?.Outbox.Count ?? 0;
            return CustomHandler.Completed([$"dispatched {applicationId} (delivery {delivery}); {waiting} side effect(s) waiting for a later attempt"]);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Dispatch of {ApplicationId} failed (delivery {DequeueCount})", applicationId, delivery);
            return CustomHandler.Failed([$"dispatch of {applicationId} failed (delivery {delivery}): {e.GetType().Name}"]);
        }
    }
}
