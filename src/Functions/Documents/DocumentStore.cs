using System.Globalization;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using FuncRegistry.Core.Documents;
using FuncRegistry.Functions.Storage;

namespace FuncRegistry.Functions.Documents;

/// <summary>A direct upload the server has handed out a write-only URL for and not yet committed.</summary>
public sealed record PendingUpload(string DocumentId, DocumentType Type, string FileName, long DeclaredSize, DateTimeOffset ExpiresAt, string? CertificateNumber = null);

/// <summary>What arrived through a direct upload: the first <c>maxBytes + 1</c> bytes at most, and the blob's real size.</summary>
public sealed record StagedUpload(byte[] Content, long Size);

/// <summary>A file measured as it streams by: its format by content, its SHA-256 and its size.</summary>
public sealed record MeasuredFile(DocumentFormat? Format, string Sha256, long Size);

/// <summary>
/// The bytes of documents in blob storage, under names the server chooses
/// (<c>{applicationId}/{documentId}</c>), and the direct uploads in flight. Documents are written
/// once and never overwritten; direct uploads land in a separate container through a write-only
/// SAS and are copied into the documents container only after validation. The metadata is the
/// application's own history (DocumentAttached/DocumentRemoved events); pending direct uploads
/// are <c>a|{id}|upload-{documentId}</c> rows of the registry partition (<see cref="RegistryRows"/>),
/// so they go with the application's other rows when a draft is deleted.
/// </summary>
public sealed class DocumentStore(StorageAccount account, TimeProvider clock)
{
    private const string PendingPrefix = "upload-";
    private UserDelegationKey? _delegationKey;

    /// <summary>A new document id: 32 hex digits, ordered by time.</summary>
    public string NewId() => Guid.CreateVersion7(clock.GetUtcNow()).ToString("N");

    /// <summary>True for the shape of a document id (junk in a path is refused before any storage call).</summary>
    public static bool IsWellFormedId(string? id) => id is { Length: 32 } && id.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    /// <summary>The blob name of a document: never derived from anything the client sent but the ids the server checked.</summary>
    public static string BlobName(string applicationId, string documentId) => $"{applicationId}/{documentId}";

    /// <summary>Reads a stream to its end: format by its leading bytes, SHA-256 and size.</summary>
    public static async Task<MeasuredFile> MeasureAsync(Stream content, CancellationToken cancellationToken = default)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        var head = new byte[DocumentFormats.SniffLength];
        var headLength = 0;
        long size = 0;
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
        {
            var n = Math.Min(read, head.Length - headLength);
            buffer.AsSpan(0, n).CopyTo(head.AsSpan(headLength));
            headLength += n;
            sha.AppendData(buffer, 0, read);
            size += read;
        }
        return new MeasuredFile(DocumentFormats.Sniff(head.AsSpan(0, headLength)), Convert.ToHexStringLower(sha.GetHashAndReset()), size);
    }

    /// <summary>Measures bytes already in memory.</summary>
    public static MeasuredFile Measure(ReadOnlySpan<byte> content) =>
        new(DocumentFormats.Sniff(content), Convert.ToHexStringLower(SHA256.HashData(content)), content.Length);

    /// <summary>Stores a document's bytes; fails rather than overwrite (a document is written once).</summary>
    public async Task StoreAsync(string applicationId, string documentId, DocumentFormat format, string sha256, Stream content,
        CancellationToken cancellationToken = default)
    {
        await account.Documents.GetBlobClient(BlobName(applicationId, documentId)).UploadAsync(content, new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = format.ContentType() },
            Metadata = new Dictionary<string, string> { ["sha256"] = sha256 },
            Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
        }, cancellationToken);
    }

    /// <summary>Opens a document's bytes for reading.</summary>
    public async Task<Stream> OpenAsync(string applicationId, string documentId, CancellationToken cancellationToken = default)
    {
        var download = await account.Documents.GetBlobClient(BlobName(applicationId, documentId)).DownloadStreamingAsync(cancellationToken: cancellationToken);
        return download.Value.Content;
    }

    /// <summary>Deletes a document's bytes (and any direct upload of the same id). Idempotent.</summary>
    public async Task DeleteAsync(string applicationId, string documentId, CancellationToken cancellationToken = default)
    {
        var name = BlobName(applicationId, documentId);
        await Task.WhenAll(
            account.Documents.GetBlobClient(name).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken),
            account.DocumentUploads.GetBlobClient(name).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken));
    }

    /// <summary>Deletes every byte stored for an application: its documents and its unfinished direct uploads. Idempotent.</summary>
    public async Task DeleteAllAsync(string applicationId, CancellationToken cancellationToken = default)
    {
        foreach (var container in new[] { account.Documents, account.DocumentUploads })
            await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = applicationId + "/" }, cancellationToken))
                await container.GetBlobClient(blob.Name).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
    }

    /// <summary>Names of the blobs stored for an application, in both containers (for tests and operators).</summary>
    public async Task<IReadOnlyList<string>> BlobNamesAsync(string applicationId, CancellationToken cancellationToken = default)
    {
        var names = new List<string>();
        foreach (var container in new[] { account.Documents, account.DocumentUploads })
            await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = applicationId + "/" }, cancellationToken))
                names.Add($"{container.Name}/{blob.Name}");
        return names;
    }

    // ── Direct uploads ─────────────────────────────────────────────────────────────────

    /// <summary>
    /// A URL that lets its holder create or write exactly one blob — the direct upload of this
    /// document — and nothing else (no read, no list, no delete), until <paramref name="expiresOn"/>.
    /// One code path: signed with the account key when the client has one (a connection string,
    /// e.g. Azurite), otherwise with a user-delegation key obtained with the managed identity.
    /// </summary>
    public async Task<Uri> UploadUrlAsync(string applicationId, string documentId, DateTimeOffset expiresOn, CancellationToken cancellationToken = default)
    {
        var blob = account.DocumentUploads.GetBlobClient(BlobName(applicationId, documentId));
        // No start time: a client whose clock runs a little behind is not refused.
        var sas = new BlobSasBuilder(BlobSasPermissions.Create | BlobSasPermissions.Write, expiresOn)
        {
            BlobContainerName = blob.BlobContainerName,
            BlobName = blob.Name,
            Resource = "b",
            Protocol = blob.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
        };
        if (blob.CanGenerateSasUri) return blob.GenerateSasUri(sas);
        var key = await DelegationKeyAsync(expiresOn, cancellationToken);
        return new BlobUriBuilder(blob.Uri) { Sas = sas.ToSasQueryParameters(key, account.Blobs.AccountName) }.ToUri();
    }

    /// <summary>A user-delegation key valid at least until <paramref name="until"/>, reused for an hour.</summary>
    private async Task<UserDelegationKey> DelegationKeyAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        if (_delegationKey is { } cached && cached.SignedExpiresOn >= until) return cached;
        var now = clock.GetUtcNow();
        var key = await account.Blobs.GetUserDelegationKeyAsync(now.AddMinutes(-5), until.AddHours(1), cancellationToken);
        return _delegationKey = key.Value;
    }

    /// <summary>Remembers a direct upload handed out.</summary>
    public Task AddPendingAsync(string applicationId, PendingUpload upload, CancellationToken cancellationToken = default) =>
        account.Applications.AddEntityAsync(new TableEntity(RegistryRows.Partition, PendingRowKey(applicationId, upload.DocumentId))
        {
            ["Type"] = upload.Type.ToString(), ["FileName"] = upload.FileName, ["DeclaredSize"] = upload.DeclaredSize, ["ExpiresAt"] = upload.ExpiresAt,
            ["CertificateNumber"] = upload.CertificateNumber,
        }, cancellationToken);

    /// <summary>A direct upload handed out and not yet committed or given up, or null.</summary>
    public async Task<PendingUpload?> GetPendingAsync(string applicationId, string documentId, CancellationToken cancellationToken = default)
    {
        var row = await account.Applications.GetEntityIfExistsAsync<TableEntity>(RegistryRows.Partition, PendingRowKey(applicationId, documentId), cancellationToken: cancellationToken);
        return row.HasValue ? FromEntity(row.Value!) : null;
    }

    /// <summary>The direct uploads of an application handed out and not yet committed or given up.</summary>
    public async Task<IReadOnlyList<PendingUpload>> PendingUploadsAsync(string applicationId, CancellationToken cancellationToken = default)
    {
        var pending = new List<PendingUpload>();
        // "upload." sorts right after every "upload-…" key.
        var filter = RegistryRows.RangeFilter(PendingRowKey(applicationId, ""), RegistryRows.OfApplication(applicationId, "upload."));
        await foreach (var row in account.Applications.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            pending.Add(FromEntity(row));
        return pending;
    }

    /// <summary>Reads what arrived for a direct upload (at most <paramref name="maxBytes"/> + 1 bytes), or null when nothing has.</summary>
    public async Task<StagedUpload?> ReadUploadAsync(string applicationId, string documentId, long maxBytes, CancellationToken cancellationToken = default)
    {
        var blob = account.DocumentUploads.GetBlobClient(BlobName(applicationId, documentId));
        try
        {
            var download = await blob.DownloadStreamingAsync(new BlobDownloadOptions { Range = new HttpRange(0, maxBytes + 1) }, cancellationToken);
            using var content = download.Value.Content;
            using var buffer = new MemoryStream();
            await content.CopyToAsync(buffer, cancellationToken);
            var range = download.Value.Details.ContentRange;
            var size = range is not null && range.LastIndexOf('/') is var slash and > 0 && long.TryParse(range[(slash + 1)..], CultureInfo.InvariantCulture, out var total)
                ? total : buffer.Length;
            return new StagedUpload(buffer.ToArray(), size);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
        catch (RequestFailedException e) when (e.Status == 416)
        {
            return new StagedUpload([], 0); // an empty blob has no byte 0
        }
    }

    /// <summary>Forgets a direct upload: its bytes and its row. Idempotent.</summary>
    public async Task DiscardUploadAsync(string applicationId, string documentId, CancellationToken cancellationToken = default)
    {
        await account.DocumentUploads.GetBlobClient(BlobName(applicationId, documentId))
            .DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
        try { await account.Applications.DeleteEntityAsync(RegistryRows.Partition, PendingRowKey(applicationId, documentId), ETag.All, cancellationToken); }
        catch (RequestFailedException e) when (e.Status == 404) { }
    }

    private static string PendingRowKey(string applicationId, string documentId) => RegistryRows.OfApplication(applicationId, PendingPrefix + documentId);

    private static PendingUpload FromEntity(TableEntity e) => new(
        RegistryRows.LocalKey(e.RowKey)[PendingPrefix.Length..], Enum.Parse<DocumentType>(e.GetString("Type")), e.GetString("FileName"),
        e.GetInt64("DeclaredSize") ?? 0, e.GetDateTimeOffset("ExpiresAt")!.Value, e.GetString("CertificateNumber"));
}
