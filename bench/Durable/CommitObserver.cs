using System.Reflection;
using DurableTask.Core;

namespace FuncRegistry.Bench.Durable;

/// <summary>
/// Wraps the orchestration service the sidecar dispatches on and reports each orchestration
/// episode right after the provider has committed it (instance id and the status it committed).
/// This is how the baseline sees an instance start and complete without asking storage: polling
/// the instance's status would add requests that are not the product's and would only see the
/// completion at the next poll. A <see cref="DispatchProxy"/> rather than a hand-written decorator,
/// so every other member passes through untouched whatever the Core version's interface holds.
/// </summary>
public class CommitObserver : DispatchProxy
{
    private IOrchestrationService _inner = null!;
    private Action<string, OrchestrationStatus> _committed = null!;

    public static IOrchestrationService Wrap(IOrchestrationService inner, Action<string, OrchestrationStatus> committed)
    {
        var proxy = Create<IOrchestrationService, CommitObserver>();
        var observer = (CommitObserver)(object)proxy;
        observer._inner = inner;
        observer._committed = committed;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var result = targetMethod!.Invoke(_inner, BindingFlags.DoNotWrapExceptions, null, args, null);
        if (targetMethod.Name == nameof(IOrchestrationService.CompleteTaskOrchestrationWorkItemAsync)
            && result is Task commit && args?[1] is OrchestrationRuntimeState state)
            return ReportAsync(commit, state);
        return result;
    }

    private async Task ReportAsync(Task commit, OrchestrationRuntimeState state)
    {
        await commit;
        if (state.OrchestrationInstance?.InstanceId is { } id) _committed(id, state.OrchestrationStatus);
    }
}
