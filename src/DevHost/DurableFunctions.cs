using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.DurableTask.Worker;

namespace FuncRegistry.DevHost;

/// <summary>
/// Registers the Functions app's orchestrator and activity functions with
/// Microsoft.DurableTask.Worker, invoked as the Functions worker invokes them: an orchestrator with
/// its <see cref="TaskOrchestrationContext"/>, an activity with its input.
/// </summary>
public static class DurableFunctions
{
    /// <summary>Adds every orchestrator and activity; orchestrators are built with the host's root services (the registry offers them none).</summary>
    public static void Register(DurableTaskRegistry registry, IEnumerable<FunctionEntry> functions, Func<IServiceProvider> rootServices)
    {
        foreach (var function in functions)
        {
            if (function.Trigger is OrchestrationTriggerAttribute)
                registry.AddOrchestrator(function.Name, () => new Orchestrator(function, rootServices()));
            else if (function.Trigger is ActivityTriggerAttribute)
                registry.AddActivity(function.Name, services => new Activity(function, services));
        }
    }

    private sealed class Orchestrator(FunctionEntry function, IServiceProvider services) : ITaskOrchestrator
    {
        public Type InputType => typeof(JsonElement?);
        public Type OutputType => typeof(object);

        public Task<object?> RunAsync(TaskOrchestrationContext context, object? input) =>
            FunctionCatalog.InvokeAsync(function, services, new FunctionsOrchestrationContext(context, input, services.GetRequiredService<ILoggerFactory>()), CancellationToken.None);
    }

    private sealed class Activity(FunctionEntry function, IServiceProvider services) : ITaskActivity
    {
        public Type InputType => function.Method.GetParameters().Single(p => p.GetCustomAttributes(typeof(ActivityTriggerAttribute), false).Length > 0).ParameterType;
        public Type OutputType => typeof(object);

        public Task<object?> RunAsync(TaskActivityContext context, object? input) => FunctionCatalog.InvokeAsync(function, services, input, CancellationToken.None);
    }

    /// <summary>
    /// The worker hands an orchestrator its input already deserialised to <see cref="Orchestrator.InputType"/>,
    /// and its <c>GetInput&lt;T&gt;</c> is a cast; the Functions extension's context deserialises on
    /// demand. This wrapper does the same; everything else is the worker's context.
    /// </summary>
    private sealed class FunctionsOrchestrationContext(TaskOrchestrationContext inner, object? input, ILoggerFactory loggerFactory) : TaskOrchestrationContext
    {
        private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

        public override T GetInput<T>() => input switch
        {
            null => default!,
            T value => value,
            JsonElement json => json.Deserialize<T>(Json)!,
            _ => throw new InvalidCastException($"orchestration input is {input.GetType()}"),
        };

        public override TaskName Name => inner.Name;
        public override string InstanceId => inner.InstanceId;
        public override ParentOrchestrationInstance? Parent => inner.Parent;
        public override DateTime CurrentUtcDateTime => inner.CurrentUtcDateTime;
        public override bool IsReplaying => inner.IsReplaying;
        public override string Version => inner.Version;
        public override IReadOnlyDictionary<string, object?> Properties => inner.Properties;
        public override TaskOrchestrationEntityFeature Entities => inner.Entities;
        protected override ILoggerFactory LoggerFactory => loggerFactory;
        public override ILoggerFactory ReplaySafeLoggerFactory => inner.ReplaySafeLoggerFactory;
        public override Task<TResult> CallActivityAsync<TResult>(TaskName name, object? input = null, TaskOptions? options = null) => inner.CallActivityAsync<TResult>(name, input, options);
        public override Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, object? input = null, TaskOptions? options = null) => inner.CallSubOrchestratorAsync<TResult>(orchestratorName, input, options);
        public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken) => inner.CreateTimer(fireAt, cancellationToken);
        public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default) => inner.WaitForExternalEvent<T>(eventName, cancellationToken);
        public override void SendEvent(string instanceId, string eventName, object payload) => inner.SendEvent(instanceId, eventName, payload);
        public override void SetCustomStatus(object? customStatus) => inner.SetCustomStatus(customStatus);
        public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true) => inner.ContinueAsNew(newInput, preserveUnprocessedEvents);
        public override Guid NewGuid() => inner.NewGuid();
    }
}
