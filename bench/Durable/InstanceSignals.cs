using System.Collections.Concurrent;
using System.Diagnostics;
using DurableTask.Core;

namespace FuncRegistry.Bench.Durable;

/// <summary>
/// In-process signals per instance: when its orchestration has read the row and found it waiting
/// for the city, then for the province (set by the read activity), and when the provider committed
/// it Completed (set by <see cref="CommitObserver"/>, with the time). The clients wait on these
/// instead of reading the instance's status, so the measured window holds no status reads at all.
/// </summary>
public sealed class InstanceSignals
{
    private readonly ConcurrentDictionary<string, Instance> _instances = new();

    public Instance For(string id) => _instances.GetOrAdd(id, _ => new Instance());

    public void Read(string id, ApplicationRow row)
    {
        if (row.City is null) For(id).AtCity.TrySetResult();
        else if (row.Province is null) For(id).AtProvince.TrySetResult();
    }

    public void Committed(string id, OrchestrationStatus status)
    {
        if (status == OrchestrationStatus.Completed) For(id).Completed.TrySetResult(Stopwatch.GetTimestamp());
    }

    public sealed class Instance
    {
        public TaskCompletionSource AtCity { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource AtProvince { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource<long> Completed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
