using Azure.Data.Tables;

namespace FuncRegistry.Functions.Storage;

/// <summary>
/// How the Applications table is laid out: one partition, <see cref="Partition"/>, holding every
/// application's rows (<c>a|{id}|…</c>) together with the rows that find applications — the lists
/// and review queues (<c>l|{list}|{sort key}</c>), the review clock's timers
/// (<c>t|{due ticks}|{id}</c>) and the running public notices (<c>p|{end ticks}|{id}</c>). Because they share a partition, a transition writes its events, its
/// outbox and every list, queue and timer row it changes in one entity-group transaction: one
/// request, all or nothing. ADR 0008 weighs this against the partition's throughput limit.
/// </summary>
public static class RegistryRows
{
    /// <summary>The partition key of every row.</summary>
    public const string Partition = "registry";

    /// <summary>The row key of an application's own row (<paramref name="local"/>: head, e00001, o00001-0, …).</summary>
    public static string OfApplication(string applicationId, string local) => $"a|{applicationId}|{local}";

    /// <summary>The part of an application's row key after its id.</summary>
    public static string LocalKey(string rowKey) => rowKey[(rowKey.IndexOf('|', 2) + 1)..];

    /// <summary>The application an <c>a|{id}|…</c> row belongs to.</summary>
    public static string ApplicationIdOf(string rowKey) => rowKey[2..rowKey.IndexOf('|', 2)];

    /// <summary>Every row of one application.</summary>
    public static string ApplicationFilter(string applicationId) => PrefixFilter($"a|{applicationId}|");

    /// <summary>The rows whose key starts with <paramref name="prefix"/> (which ends in '|'): one key range of the partition.</summary>
    public static string PrefixFilter(string prefix) => RangeFilter(prefix, prefix[..^1] + "}");

    /// <summary>The rows with <paramref name="from"/> ≤ key &lt; <paramref name="to"/>.</summary>
    public static string RangeFilter(string from, string to) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey ge {from} and RowKey lt {to}");
}
