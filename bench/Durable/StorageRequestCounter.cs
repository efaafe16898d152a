using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;

namespace FuncRegistry.Bench.Durable;

/// <summary>
/// Counts every HTTP request the Azure SDK clients it is added to send, once per try (a retry is
/// another request to storage, and storage bills it). DurableTask.AzureStorage builds its own Blob,
/// Queue and Table clients, so the only place to see its traffic is their client options: the
/// policy goes into the options the provider's <c>StorageAccountClientProvider</c> is given (see
/// <see cref="DurableSidecar.CreateService"/>), and into the baseline's own Table client. Requests
/// are also kept by operation ("GET {hub}-control-NN/messages"), so a figure can be explained.
/// </summary>
public sealed partial class StorageRequestCounter : HttpPipelinePolicy
{
    private readonly ConcurrentDictionary<string, long> _byOperation = new();
    private long _total;

    public long Total => Interlocked.Read(ref _total);

    public Dictionary<string, long> Snapshot() => new(_byOperation);

    /// <summary>Adds the counter to a client's options, per retry.</summary>
    public T AddTo<T>(T options) where T : ClientOptions
    {
        options.AddPolicy(this, HttpPipelinePosition.PerRetry);
        return options;
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Count(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Count(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void Count(HttpMessage message)
    {
        Interlocked.Increment(ref _total);
        _byOperation.AddOrUpdate(Operation(message.Request), 1, (_, n) => n + 1);
    }

    /// <summary>Method and resource, with partition numbers, keys and message ids folded away.</summary>
    private static string Operation(Request request)
    {
        var uri = request.Uri.ToUri();
        // Azurite's path starts with the account name; a real account's does not.
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (segments.Count > 0 && uri.IsLoopback) segments.RemoveAt(0);
        var resource = segments.Count > 0 ? PartitionNumber().Replace(Keys().Replace(segments[0], "()"), "NN") : "(account)";
        var rest = segments.Count > 1 ? "/" + string.Join('/', segments.Skip(1).Select(s => Id().IsMatch(s) ? "{id}" : s)) : "";
        var comp = System.Web.HttpUtility.ParseQueryString(uri.Query)["comp"];
        return $"{request.Method} {resource}{rest}{(comp is null ? "" : "?comp=" + comp)}";
    }

    [GeneratedRegex(@"\(.*\)$")] private static partial Regex Keys();
    [GeneratedRegex(@"\d\d$")] private static partial Regex PartitionNumber();
    [GeneratedRegex(@"^[0-9a-f-]{16,}$")] private static partial Regex Id();
}
