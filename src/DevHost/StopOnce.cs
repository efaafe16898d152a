using System.Reflection;
using DurableTask.Core;

namespace FuncRegistry.DevHost;

/// <summary>
/// The orchestration service as the sidecar dispatches on it, stopped once: the development host
/// stops it gracefully (releasing its partitions for the next host on the hub) and awaits that;
/// the sidecar stops it again, fire-and-forget, as its application stops, and the provider fails on
/// a second stop, as on a stop before it was ever started or while it is starting (a host stopped right after it started). Every other member passes through (a <see cref="DispatchProxy"/>, so nothing of
/// the interface is missed).
/// </summary>
public class StopOnce : DispatchProxy
{
    private IOrchestrationService _inner = null!;
    private Task? _stopped;
    private Task? _start;

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
            lock (this) return _start = (Task)targetMethod.Invoke(_inner, BindingFlags.DoNotWrapExceptions, null, args, null)!;
        if (targetMethod.Name == nameof(IOrchestrationService.StopAsync))
            lock (this) return _stopped ??= _start is null ? Task.CompletedTask : StopAfterStartAsync(targetMethod, args);
        return targetMethod.Invoke(_inner, BindingFlags.DoNotWrapExceptions, null, args, null);
    }

    /// <summary>
    /// A stop waits for the start to finish: the provider fails (NullReferenceException) on a stop
    /// while its start is still setting up (a host stopped right after it started); a start that
    /// failed left nothing to stop.
    /// </summary>
    private async Task StopAfterStartAsync(MethodInfo stop, object?[]? args)
    {
        try
        {
            await _start!;
        }
        catch (Exception)
        {
            return;
        }
        await (Task)stop.Invoke(_inner, BindingFlags.DoNotWrapExceptions, null, args, null)!;
    }
}
