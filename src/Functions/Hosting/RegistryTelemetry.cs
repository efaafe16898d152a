using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace FuncRegistry.Functions.Hosting;

/// <summary>
/// The app's own spans and metrics. Every span of an application's transition or side effect
/// carries <see cref="ApplicationIdTag"/> (and <see cref="ApplicationIdProcessor"/> copies it to
/// the storage and HTTP spans beneath it). Metric tags are low-cardinality: never an id or a phone.
/// </summary>
public static class RegistryTelemetry
{
    /// <summary>Name of the <see cref="ActivitySource"/> and the <see cref="Meter"/>.</summary>
    public const string Name = "FuncRegistry";

    /// <summary>The tag that names the application a span works on.</summary>
    public const string ApplicationIdTag = "funcregistry.application_id";

    /// <summary>Spans of transitions and side effects.</summary>
    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary>Commands run on applications, by <c>kind</c> (the command) and <c>result</c> (committed, unchanged, refused, conflict).</summary>
    public static readonly Counter<long> Transitions = Meter.CreateCounter<long>("funcregistry.transitions", "{transition}",
        "Commands run on applications, by kind and result");

    /// <summary>Seconds from a transition's commit to the dispatch of one of its side effects, by <c>effect</c>.</summary>
    public static readonly Histogram<double> OutboxLag = Meter.CreateHistogram<double>("funcregistry.outbox.lag", "s",
        "Time from a transition's commit to the dispatch of its side effect");

    /// <summary>SMS handed to the gateway, by <c>template</c>.</summary>
    public static readonly Counter<long> SmsSent = Meter.CreateCounter<long>("funcregistry.sms.sent", "{message}",
        "SMS accepted by the gateway");

    /// <summary>SMS the gateway refused or failed on (each failed attempt), by <c>template</c>.</summary>
    public static readonly Counter<long> SmsFailed = Meter.CreateCounter<long>("funcregistry.sms.failed", "{message}",
        "SMS attempts that failed");

    /// <summary>
    /// Review stages found overdue, by <c>stage</c> (city, province). Fed by the review clock
    /// (issue 4) through <see cref="StageOverdue"/>; nothing records it until that lands.
    /// </summary>
    public static readonly Counter<long> OverdueStages = Meter.CreateCounter<long>("funcregistry.reviews.overdue", "{stage}",
        "Review stages found overdue");

    /// <summary>Records a review stage found overdue.</summary>
    public static void StageOverdue(string stage) => OverdueStages.Add(1, new KeyValuePair<string, object?>("stage", stage));

    /// <summary>Starts a span about one application, tagging it and the spans above it (the HTTP request) with the id.</summary>
    public static Activity? StartApplicationActivity(string name, string? applicationId, ActivityKind kind = ActivityKind.Internal)
    {
        var activity = Source.StartActivity(name, kind);
        if (applicationId is not null) TagApplication(activity, applicationId);
        return activity;
    }

    /// <summary>Tags a span and its in-process ancestors with the application id (once known, e.g. after a create).</summary>
    public static void TagApplication(Activity? activity, string applicationId)
    {
        for (var a = activity; a is not null; a = a.Parent)
            if (a.GetTagItem(ApplicationIdTag) is null) a.SetTag(ApplicationIdTag, applicationId);
    }

    /// <summary>Counts one SMS attempt: accepted by the gateway, or failed.</summary>
    public static void SmsAttempt(string template, bool sent) =>
        (sent ? SmsSent : SmsFailed).Add(1, new KeyValuePair<string, object?>("template", template));

    /// <summary>Counts one command run.</summary>
    public static void Transition(string kind, string result) => Transitions.Add(1,
        new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("result", result));
}

/// <summary>Copies the application id from the enclosing span to every span started beneath it (storage calls, HTTP calls).</summary>
public sealed class ApplicationIdProcessor : OpenTelemetry.BaseProcessor<Activity>
{
    /// <inheritdoc />
    public override void OnStart(Activity data)
    {
        if (data.GetTagItem(RegistryTelemetry.ApplicationIdTag) is not null) return;
        for (var a = data.Parent; a is not null; a = a.Parent)
        {
            if (a.GetTagItem(RegistryTelemetry.ApplicationIdTag) is { } id)
            {
                data.SetTag(RegistryTelemetry.ApplicationIdTag, id);
                return;
            }
        }
    }
}
