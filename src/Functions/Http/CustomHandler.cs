using System.Text.Json;
using System.Text.Json.Serialization;

namespace FuncRegistry.Functions.Http;

/// <summary>
/// What the Functions host posts to a custom handler at <c>/{FunctionName}</c> for a non-HTTP
/// trigger (queue, timer…): the trigger and input-binding values by binding name, and the
/// trigger's metadata (for a queue: DequeueCount, Id, InsertionTime…).
/// </summary>
public sealed record FunctionInvocationRequest(
    [property: JsonPropertyName("Data")] Dictionary<string, JsonElement>? Data,
    [property: JsonPropertyName("Metadata")] Dictionary<string, JsonElement>? Metadata)
{
    /// <summary>A binding's value as text. A string the host wrapped in JSON quotes once more is unwrapped.</summary>
    public string? Text(string binding)
    {
        if (Data is null || !Data.TryGetValue(binding, out var value)) return null;
        if (value.ValueKind != JsonValueKind.String) return value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : value.GetRawText();
        var text = value.GetString();
        if (text is ['"', .., '"'])
        {
            try { return JsonSerializer.Deserialize<string>(text); } catch (JsonException) { }
        }
        return text;
    }
}

/// <summary>
/// The answer a custom handler gives the Functions host: values for output bindings by name,
/// log lines the host writes to the invocation's log, and the function's return value.
/// </summary>
public sealed record FunctionInvocationResponse(
    [property: JsonPropertyName("Outputs")] IReadOnlyDictionary<string, object?> Outputs,
    [property: JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
    [property: JsonPropertyName("ReturnValue"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] object? ReturnValue);

/// <summary>
/// Maps invocation endpoints of non-HTTP functions. The host calls them on the handler's local
/// port; the HttpApi function forwards only <c>api/*</c>, so they are not reachable from outside.
/// </summary>
public static class CustomHandler
{
    /// <summary>Maps <c>POST /{functionName}</c> (the folder name of its function.json).</summary>
    public static RouteHandlerBuilder MapFunctionInvocation(this IEndpointRouteBuilder app, string functionName, Delegate handler) =>
        app.MapPost("/" + functionName, handler).ExcludeFromDescription().AllowAnonymous();

    /// <summary>The invocation succeeded (200).</summary>
    public static IResult Completed(IReadOnlyList<string> logs, object? returnValue = null, IReadOnlyDictionary<string, object?>? outputs = null) =>
        Results.Json(new FunctionInvocationResponse(outputs ?? new Dictionary<string, object?>(), logs, returnValue), Json.Options, statusCode: 200);
}
