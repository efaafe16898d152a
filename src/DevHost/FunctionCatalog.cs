using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;
using Microsoft.DurableTask.Client;

namespace FuncRegistry.DevHost;

/// <summary>One <c>[Function]</c> method of the Functions app and its trigger.</summary>
/// <param name="Name">The function name (as in functions.metadata).</param>
/// <param name="Method">The method the Functions host would invoke.</param>
/// <param name="Trigger">The trigger attribute on its parameter.</param>
public sealed record FunctionEntry(string Name, MethodInfo Method, Attribute Trigger)
{
    /// <summary>An HTTP trigger's route as the Functions host serves it (host.json's routePrefix is "").</summary>
    public string? Route => (Trigger as HttpTriggerAttribute)?.Route;

    /// <summary>An HTTP trigger's methods, upper case.</summary>
    public IReadOnlyList<string> Methods => (Trigger as HttpTriggerAttribute)?.Methods?.Select(m => m.ToUpperInvariant()).ToArray() ?? [];
}

/// <summary>
/// The Functions app's functions, found as the Functions SDK finds them (a public method with
/// <c>[Function]</c> and a trigger on one parameter), and mapped the way the Functions host would
/// serve them: an HTTP trigger on its route and methods, invoked with the request.
/// </summary>
public static class FunctionCatalog
{
    /// <summary>Every function of the app's assembly, by name.</summary>
    public static IReadOnlyList<FunctionEntry> Discover(Assembly assembly) =>
        [.. from type in assembly.GetExportedTypes()
            from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            let function = method.GetCustomAttribute<FunctionAttribute>()
            where function is not null
            let trigger = method.GetParameters().SelectMany(p => p.GetCustomAttributes()).FirstOrDefault(a => a is TriggerBindingAttribute)
            where trigger is not null
            orderby function.Name
            select new FunctionEntry(function.Name, method, trigger)];

    /// <summary>Maps each HTTP function on its route and methods; a request invokes the method as the worker would.</summary>
    public static void MapHttpFunctions(this IEndpointRouteBuilder app, IEnumerable<FunctionEntry> functions)
    {
        foreach (var function in functions.Where(f => f.Trigger is HttpTriggerAttribute))
        {
            var parameters = function.Method.GetParameters();
            if (function.Method.ReturnType != typeof(IResult) || parameters.Length != 2 || parameters[0].ParameterType != typeof(HttpRequest)
                || parameters[1].ParameterType != typeof(DurableTaskClient))
                throw new NotSupportedException($"{function.Name}: the development host runs HTTP functions of the shape IResult Run(HttpRequest, [DurableClient] DurableTaskClient)");
            app.MapMethods("/" + function.Route, function.Methods, http =>
            {
                var target = function.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(http.RequestServices, function.Method.DeclaringType!);
                var result = (IResult)function.Method.Invoke(target, [http.Request, http.RequestServices.GetRequiredService<DurableTaskClient>()])!;
                return result.ExecuteAsync(http);
            }).WithName(function.Name).WithDisplayName($"Function {function.Name}");
        }
    }

    /// <summary>
    /// <c>POST /admin/functions/{name}</c> runs a timer function now, as the Functions host's admin
    /// API does (there it needs the master key; here only a caller on this machine, and only in
    /// Development). Answers 202 once the function has run, 404 for a name that is not a timer
    /// function or a caller from elsewhere.
    /// </summary>
    public static void MapTimerFunctions(this IEndpointRouteBuilder app, IEnumerable<FunctionEntry> functions)
    {
        var timers = functions.Where(f => f.Trigger is TimerTriggerAttribute).ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
        app.MapPost("/admin/functions/{name}", async (string name, HttpContext http) =>
        {
            // The Functions host asks for its master key; this host serves it to its own machine only.
            if (http.Connection.RemoteIpAddress is { } remote && !System.Net.IPAddress.IsLoopback(remote)) return Results.NotFound();
            if (!timers.TryGetValue(name, out var function)) return Results.NotFound();
            await InvokeAsync(function, http.RequestServices, new TimerInfo(), http.RequestAborted);
            return Results.Accepted();
        }).ExcludeFromDescription();
    }

    /// <summary>Runs a non-HTTP function: the trigger's value, services for the rest (a DurableTaskClient, a CancellationToken).</summary>
    public static async Task<object?> InvokeAsync(FunctionEntry function, IServiceProvider services, object? trigger, CancellationToken cancellationToken)
    {
        var method = function.Method;
        var arguments = method.GetParameters().Select(p =>
            p.GetCustomAttributes().Any(a => a is TriggerBindingAttribute) ? trigger
            : p.ParameterType == typeof(CancellationToken) ? cancellationToken
            : services.GetRequiredService(p.ParameterType)).ToArray();
        var target = method.IsStatic ? null : ActivatorUtilities.CreateInstance(services, method.DeclaringType!);
        object? returned;
        try { returned = method.Invoke(target, arguments); }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
        if (returned is not Task task) return returned;
        await task;
        var type = task.GetType();
        return type.IsGenericType && type.GetGenericArguments()[0].Name != "VoidTaskResult" ? type.GetProperty("Result")!.GetValue(task) : null;
    }
}
