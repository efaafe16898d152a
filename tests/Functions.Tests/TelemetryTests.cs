using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using FuncRegistry.Functions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace FuncRegistry.Functions.Tests;

/// <summary>
/// Every span of an application's transitions and side effects names the application, the
/// metrics count what happened, and no personal data reaches telemetry.
/// </summary>
[Collection(ProcessWideListeners.Name)]
public sealed class TelemetryTests
{
    [Fact]
    public async Task Spans_of_transitions_and_side_effects_carry_the_application_id_and_no_personal_data()
    {
        // The exporter adds every span this process ends, from other tests' threads too: a collection that locks.
        var spans = new LockedCollection<Activity>();
        using var app = new RegistryFactory(services: s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)));
        var scenario = await Scenario.CreateAsync(app);
        var id = await scenario.SubmittedAsync();
        await (await scenario.CityAsync(id, "approve")).AssertOkAsync();
        await (await scenario.ProvinceAsync(id, "approve")).AssertOkAsync();
        await (await scenario.Applicant.GetAsync($"/api/certificates?holderIdNumber={scenario.HolderId}")).AssertOkAsync();
        app.Services.GetRequiredService<TracerProvider>().ForceFlush();

        var ours = spans.Snapshot();
        // Spans of this test's other requests (the certificate lookup) are in there too: keep the traces of this application.
        var traces = ours.Where(s => Equals(s.GetTagItem(RegistryTelemetry.ApplicationIdTag), id)).Select(s => s.TraceId).ToHashSet();
        var mine = ours.Where(s => traces.Contains(s.TraceId)).ToList();
        var names = mine.Where(s => s.Source.Name == RegistryTelemetry.Name).Select(s => s.OperationName).ToList();
        Assert.Contains("application.create", names);
        var commands = mine.Where(s => s.OperationName == "application.transition").Select(s => s.GetTagItem("funcregistry.command") as string).ToList();
        foreach (var command in new[] { "Submit", "ApproveAtCity", "ApproveAtProvince" })
            Assert.Contains(command, commands);   // documents attached on the way are transitions too
        Assert.Contains("outbox.dispatch", names);
        Assert.Contains("outbox.SendSms", names);
        Assert.Contains("outbox.ApplyToCertificate", names);
        Assert.Contains(mine, s => s.Source.Name.StartsWith("Azure.", StringComparison.Ordinal));   // storage calls are traced too

        // A span of a transition or side effect is one of ours or lies beneath one: each names the application.
        var byId = mine.ToDictionary(s => s.SpanId);
        bool UnderOurs(Activity s)
        {
            for (var a = s; a is not null; a = byId.GetValueOrDefault(a.ParentSpanId))
                if (a.Source.Name == RegistryTelemetry.Name) return true;
            return false;
        }
        var covered = mine.Where(UnderOurs).ToList();
        Assert.True(covered.Count > names.Count, "storage spans beneath the transitions were expected");
        var untagged = covered.Where(s => !Equals(s.GetTagItem(RegistryTelemetry.ApplicationIdTag), id)).Select(s => $"{s.Source.Name}/{s.OperationName}").ToList();
        Assert.True(untagged.Count == 0, "spans without the application id: " + string.Join(", ", untagged));
        // The HTTP request span of each transition names it too.
        Assert.Contains(mine, s => s.Kind == ActivityKind.Server && Equals(s.GetTagItem(RegistryTelemetry.ApplicationIdTag), id));

        var everything = string.Join("\n", ours.SelectMany(s => s.TagObjects.Select(t => $"{t.Key}={t.Value}")
            .Append(s.DisplayName).Concat(s.Events.SelectMany(e => e.Tags.Select(t => $"{t.Key}={t.Value}")))));
        Assert.DoesNotContain(scenario.HolderId, everything);
        Assert.DoesNotContain(TestData.Phone, everything);
        Assert.DoesNotContain("张三", everything);
    }

    [Fact]
    public async Task Metrics_count_transitions_by_kind_and_result_sms_and_outbox_lag()
    {
        var measurements = new ConcurrentBag<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) => { if (instrument.Meter.Name == RegistryTelemetry.Name) l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Add((i.Name, v, Tags(tags))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Add((i.Name, v, Tags(tags))));
        listener.Start();

        using var app = new RegistryFactory();
        var scenario = await Scenario.CreateAsync(app);
        var id = await scenario.SubmittedAsync();
        await (await scenario.CityAsync(id, "return", "请补充社保证明材料")).AssertOkAsync();
        await (await scenario.CityAsync(id, "approve")).AssertProblemAsync(409, "not_in_review_stage");
        listener.RecordObservableInstruments();

        bool Has(string instrument, params (string Key, string Value)[] tags) =>
            measurements.Any(m => m.Instrument == instrument && tags.All(t => Equals(m.Tags.GetValueOrDefault(t.Key)?.ToString(), t.Value)));
        Assert.True(Has("funcregistry.transitions", ("kind", "Create"), ("result", "ok")));
        Assert.True(Has("funcregistry.transitions", ("kind", "Submit"), ("result", "ok")));
        Assert.True(Has("funcregistry.transitions", ("kind", "ReturnAtCity"), ("result", "ok")));
        Assert.True(Has("funcregistry.transitions", ("kind", "ApproveAtCity"), ("result", "Conflict")));
        Assert.True(Has("funcregistry.sms.sent", ("template", "CityReturned")));
        Assert.True(Has("funcregistry.outbox.lag", ("effect", "SendSms")));
        Assert.All(measurements.Where(m => m.Instrument == "funcregistry.outbox.lag"), m => Assert.True(m.Value >= 0));
    }

    private static Dictionary<string, object?> Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var d = new Dictionary<string, object?>();
        foreach (var t in tags) d[t.Key] = t.Value;
        return d;
    }
}

/// <summary>A collection whose every operation takes one lock, for an exporter that adds from many threads.</summary>
public sealed class LockedCollection<T> : ICollection<T>
{
    private readonly List<T> _items = [];

    public int Count { get { lock (_items) return _items.Count; } }
    public bool IsReadOnly => false;
    public void Add(T item) { lock (_items) _items.Add(item); }
    public void Clear() { lock (_items) _items.Clear(); }
    public bool Contains(T item) { lock (_items) return _items.Contains(item); }
    public void CopyTo(T[] array, int arrayIndex) { lock (_items) _items.CopyTo(array, arrayIndex); }
    public bool Remove(T item) { lock (_items) return _items.Remove(item); }
    public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The items as they are now.</summary>
    public List<T> Snapshot() { lock (_items) return [.. _items]; }
}

/// <summary>
/// Tests that listen to every span or measurement this process makes run alone, after the
/// parallel ones: another test's requests (a fuzz path holding a phone number) would otherwise
/// land in what they inspect.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideListeners
{
    public const string Name = "process-wide listeners";
}
