namespace FuncRegistry.Functions.Storage;

/// <summary>Where the app keeps its state. Bound from the <c>Storage</c> section.</summary>
public sealed class StorageOptions
{
    /// <summary>A storage connection string (Azurite locally). Empty in Azure, where the endpoints and managed identity are used.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Table endpoint for managed identity, e.g. https://acct.table.core.windows.net.</summary>
    public string TableEndpoint { get; set; } = "";

    /// <summary>Queue endpoint for managed identity.</summary>
    public string QueueEndpoint { get; set; } = "";

    /// <summary>Blob endpoint for managed identity.</summary>
    public string BlobEndpoint { get; set; } = "";

    /// <summary>Prefix of every table, queue and blob container name (lower-cased for queues and containers): lets tests and several deployments share one account.</summary>
    public string NamePrefix { get; set; } = "";

    /// <summary>
    /// Secret that keys the HMAC used to turn personal identifiers (ID numbers) into storage
    /// keys, so keys cannot be reversed by enumerating the small space of ID numbers.
    /// Changing it requires re-indexing.
    /// </summary>
    public string PersonalDataKeySecret { get; set; } = "";
}
