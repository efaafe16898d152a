using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Deadlines;
using FuncRegistry.Core.Province;
using FuncRegistry.Functions.Applications;
using FuncRegistry.Functions.Auth;

namespace FuncRegistry.Functions.Deadlines;

/// <summary>POST /api/applications/{id}/extend-deadline: <c>{reason}</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ExtendDeadlineRequest(string? Reason);

/// <summary>What the Functions host posts to a custom handler for a non-HTTP trigger: the trigger's data and metadata.</summary>
public sealed record FunctionInvocationRequest(JsonElement? Data, JsonElement? Metadata);

/// <summary>What a custom handler answers the Functions host: output bindings, log lines, return value.</summary>
public sealed record FunctionInvocationResult(
    [property: JsonPropertyName("Outputs")] IReadOnlyDictionary<string, object?> Outputs,
    [property: JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
    [property: JsonPropertyName("ReturnValue"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] object? ReturnValue);

/// <summary>The review clock's endpoints: the province's extension, and the timer trigger's invocation.</summary>
public static class DeadlinesApi
{
    /// <summary>Maps the endpoints.</summary>
    public static void MapDeadlinesApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/applications/{id}/extend-deadline", Extend).WithTags("Reviews").RequireActor().RequireRateLimiting(Security.RateLimits.Sms)
            .WithSummary("Province reviewer extends the deadline once, by the configured working days; the reason is texted to the applicant");
        // Called by the Functions host for the ReviewClock timer trigger (custom-handler protocol). It only
        // sweeps what is due — the same as the local loop — so it needs no caller identity; in Azure only
        // the host reaches this route (HTTP triggers forward api/* and openapi/* only).
        app.MapPost("/ReviewClock", InvokeReviewClock).AllowAnonymous().ExcludeFromDescription();
    }

    /// <summary>POST /api/applications/{id}/extend-deadline.</summary>
    public static Task<IResult> Extend(string id, ExtendDeadlineRequest request, HttpContext http, ClaimsPrincipal user, ApplicationWorkflow workflow,
        ProvinceProfile province, DeadlinePolicy policy, TimeProvider clock, CancellationToken cancellationToken) =>
        ApplicationsApi.Run(id, http, user, workflow, province, (_, actor) => Task.FromResult<ApplicationCommand>(
            new ApplicationCommand.ExtendDeadline(request.Reason ?? "", policy.ExtensionWorkingDays, actor, clock.GetUtcNow())), null, cancellationToken);

    /// <summary>POST /ReviewClock: <c>{Data, Metadata}</c> → <c>{Outputs, Logs, ReturnValue}</c>.</summary>
    public static async Task<IResult> InvokeReviewClock(FunctionInvocationRequest? invocation, TimerSweep sweep, CancellationToken cancellationToken)
    {
        var pastDue = IsPastDue(invocation?.Data);
        var result = await sweep.SweepAsync(cancellationToken);
        var log = $"Review clock swept {result.BucketsRead} day buckets: {result.Due} timers due, {result.Failed} failed{(pastDue ? " (trigger past due)" : "")}";
        return TypedResults.Ok(new FunctionInvocationResult(new Dictionary<string, object?>(), [log], null));
    }

    /// <summary>The timer binding's IsPastDue; the host sends the binding as an object or as a JSON string.</summary>
    private static bool IsPastDue(JsonElement? data)
    {
        if (data is not { ValueKind: JsonValueKind.Object } d || !d.TryGetProperty("timer", out var timer)) return false;
        if (timer.ValueKind == JsonValueKind.String)
        {
            try { timer = JsonDocument.Parse(timer.GetString()!).RootElement; }
            catch (JsonException) { return false; }
        }
        return timer.ValueKind == JsonValueKind.Object && timer.TryGetProperty("IsPastDue", out var isPastDue) && isPastDue.ValueKind == JsonValueKind.True;
    }
}
