using Azure;
using Azure.Data.Tables;

namespace FuncRegistry.Functions.Storage;

/// <summary>
/// An enterprise's one open enterprise change: the row <c>{uscc}|claim</c> in the enterprise's
/// partition of the Enterprises table (ADR 0015 keeps it out of the roster's key range), taken at
/// submission by insert-if-absent and released when the change ends — as
/// <see cref="CertificateStore.TryClaimAsync"/> does for a certificate.
/// </summary>
public sealed class EnterpriseClaims(StorageAccount account)
{
    private static TableEntity Row(string uscc) => new(EnterpriseRows.Partition(uscc), EnterpriseRows.Key(uscc) + "|claim");

    /// <summary>Takes the claim for an application at a version; returns the claim now held and whether this call created it.</summary>
    public async Task<ClaimAttempt> TryClaimAsync(string uscc, string applicationId, int version, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        try
        {
            var row = Row(uscc);
            row["ApplicationId"] = applicationId; row["Version"] = version; row["ClaimedAt"] = at;
            var response = await account.Enterprises.AddEntityAsync(row, cancellationToken);
            return new ClaimAttempt(new CertificateClaim(applicationId, version, at, StoredETag.Of(response)), Taken: true);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var held = await GetAsync(uscc, cancellationToken);
            return new ClaimAttempt(held ?? new CertificateClaim("", 0, at, default), Taken: false); // released meanwhile: the caller retries
        }
    }

    /// <summary>The enterprise's claim, if any.</summary>
    public async Task<CertificateClaim?> GetAsync(string uscc, CancellationToken cancellationToken = default)
    {
        var key = Row(uscc);
        var row = await account.Enterprises.GetEntityIfExistsAsync<TableEntity>(key.PartitionKey, key.RowKey, cancellationToken: cancellationToken);
        return row.HasValue
            ? new CertificateClaim(row.Value!.GetString("ApplicationId"), row.Value.GetInt32("Version") ?? 0, row.Value.GetDateTimeOffset("ClaimedAt") ?? DateTimeOffset.MinValue, row.Value.ETag)
            : null;
    }

    /// <summary>Releases the claim if (and only if) this application holds it.</summary>
    public async Task ReleaseAsync(string uscc, string applicationId, CancellationToken cancellationToken = default)
    {
        if (await GetAsync(uscc, cancellationToken) is { } claim && claim.ApplicationId == applicationId)
            await DeleteAsync(uscc, claim.ETag, cancellationToken);
    }

    /// <summary>Deletes a claim seen with this ETag (a stale one, or one this process created and did not commit).</summary>
    public async Task DeleteAsync(string uscc, ETag etag, CancellationToken cancellationToken = default)
    {
        try
        {
            var key = Row(uscc);
            await account.Enterprises.DeleteEntityAsync(key.PartitionKey, key.RowKey, etag, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412) { }
    }
}
