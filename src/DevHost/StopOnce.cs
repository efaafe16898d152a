using System.Reflection;
using DurableTask.Core;

namespace FuncRegistry.DevHost;

/// <summary>
/// The orchestration service as the sidecar dispatches on it, stopped once: the development host
/// stops it gracefully (releasing its partitions for the next host on the hub) and awaits that;
/// the sidecar stops it again, fire-and-forget, as its application stops, and the provider fails on
/// a second stop, as on a stop before it was ever started (a host stopped right after it started). Every other member passes through (a <see cref="DispatchProxy"/>, so nothing of
/// the interface is missed).
/// </summary>
public class StopOnce : DispatchProxy
{
    private IOrchestrationService _inner = null!;
    private Task? _stopped;
    private bool _started;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public static IOrchestrationService Wrap(IOrchestrationService inner)
    {
        var proxy = Create<IOrchestrationService, StopOnce>();
        ((StopOnce)(object)proxy)._inner = inner;
        return proxy;
    }

    /// <inheritdoc />
    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod!.Name == nameof(IOrchestrationService.StartAsync))
            lock (this) _started = true;
        if (targetMethod.Name == nameof(IOrchestrationService.StopAsync))
            lock (this) return _stopped ??= _started ? (Task)targetMethod.Invoke(_inner, BindingFlags.DoNotWrapExceptions, null, args, null)! : Task.CompletedTask;
        return targetMethod.Invoke(_inner, BindingFlags.DoNotWrapExceptions, null, args, null);
    }
}
