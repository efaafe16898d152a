using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using FuncRegistry.Core.Certificates;

namespace FuncRegistry.Functions.Storage;

/// <summary>Who holds a certificate's open-application claim: the application and its version when it claimed.</summary>
public sealed record CertificateClaim(string ApplicationId, int Version, DateTimeOffset ClaimedAt, ETag ETag);

/// <summary>The claim on a certificate after an attempt to take it, and whether the attempt created it.</summary>
public sealed record ClaimAttempt(CertificateClaim Claim, bool Taken);

/// <summary>
/// The certificate register on Table storage: certificates spread over hash buckets, each
/// certificate row with, while an application is open, its claim row beside it in its bucket;
/// plus a holder index bucketed by holder (the layout, in one place: <see cref="CertificateRows"/>,
/// ADR 0012) and the employers' rosters (<see cref="EnterpriseStore"/>, ADR 0015). Both indexes are
/// written after the certificate, idempotently, so writing them again repairs what a crash left. A certificate's row key is the number's normalised form,
/// <see cref="CertificateNumbers.Key"/>, so any spelling of a number finds it; the number as
/// written is kept in the row (ADR 0011). Every method takes a number in any spelling.
/// </summary>
public sealed class CertificateStore(StorageAccount account, EnterpriseStore enterprises)
{
    /// <summary>Most actions the storage takes in one entity-group transaction.</summary>
    public const int MaxBatch = 100;

    /// <summary>Reads a certificate with its ETag, or null.</summary>
    public async Task<(Certificate Certificate, ETag ETag)?> GetAsync(string number, CancellationToken cancellationToken = default)
    {
        if (!CertificateNumbers.IsWellFormed(number)) return null;
        var key = CertificateNumbers.Key(number);
        var row = await account.Certificates.GetEntityIfExistsAsync<TableEntity>(CertificateRows.Partition(key), CertificateRows.OfCertificate(key), cancellationToken: cancellationToken);
        return row.HasValue ? (FromEntity(row.Value!), row.Value!.ETag) : null;
    }

    /// <summary>A certificate with its ETag and its open-application claim, read in one query of its partition.</summary>
    public async Task<(Certificate Certificate, ETag ETag, CertificateClaim? Claim)?> GetWithClaimAsync(string number, CancellationToken cancellationToken = default)
    {
        if (!CertificateNumbers.IsWellFormed(number)) return null;
        var key = CertificateNumbers.Key(number);
        TableEntity? certificate = null;
        CertificateClaim? claim = null;
        await foreach (var row in account.Certificates.QueryAsync<TableEntity>(CertificateRows.CertificateWithClaimFilter(key), cancellationToken: cancellationToken))
        {
            if (row.RowKey == CertificateRows.OfCertificate(key)) certificate = row;
            else if (row.RowKey == CertificateRows.OfClaim(key)) claim = ToClaim(row);
        }
        return certificate is null ? null : (FromEntity(certificate), certificate.ETag, claim);
    }

    /// <summary>
    /// Writes an approved application's effect and, when <paramref name="claim"/> is that
    /// application's, releases the claim in the same transaction. Returns false on a concurrent change.
    /// </summary>
    public async Task<bool> TryApplyAsync(string number, Certificate? updated, ETag etag, CertificateClaim? claim, string applicationId, CancellationToken cancellationToken = default)
    {
        var batch = new List<TableTransactionAction>();
        if (updated is not null) batch.Add(new(TableTransactionActionType.UpdateReplace, ToEntity(updated), etag));
        if (claim is not null && claim.ApplicationId == applicationId)
            batch.Add(new(TableTransactionActionType.Delete, ClaimEntity(number), claim.ETag));
        if (batch.Count == 0) return true;
        try
        {
            await account.Certificates.SubmitTransactionAsync(batch, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412 or 404)
        {
            return false;
        }
    }

    /// <summary>Certificates of a holder.</summary>
    public async Task<IReadOnlyList<Certificate>> ByHolderAsync(string holderIdNumber, CancellationToken cancellationToken = default)
    {
        var numbers = new List<string>();
        await foreach (var row in account.Holders.QueryAsync<TableEntity>(CertificateRows.HolderFilter(account.PersonalKey(holderIdNumber)), select: ["RowKey"], cancellationToken: cancellationToken))
            numbers.Add(CertificateRows.CertificateKeyOfHolderRow(row.RowKey));
        var found = await Task.WhenAll(numbers.Select(n => GetAsync(n, cancellationToken)));
        return found.Where(f => f is not null && f.Value.Certificate.HolderIdNumber == holderIdNumber).Select(f => f!.Value.Certificate).ToList();
    }

    /// <summary>Adds a certificate that does not exist yet; returns false when the number is taken.</summary>
    public async Task<bool> TryAddAsync(Certificate certificate, CancellationToken cancellationToken = default)
    {
        try
        {
            await account.Certificates.AddEntityAsync(ToEntity(certificate), cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
        await IndexHolderAsync(certificate, cancellationToken);
        await IndexEmployerAsync(certificate, cancellationToken: cancellationToken);
        return true;
    }

    /// <summary>
    /// Makes sure the employer's roster lists this certificate as it is stored now (idempotent); when
    /// the employer changed from <paramref name="formerEmployerCode"/>, the former employer's roster no
    /// longer does and the new employer is known (<see cref="EnterpriseStore.IndexAsync(Certificate, string?, CancellationToken)"/>).
    /// Called after every certificate write, including a repeated one that found the write done.
    /// </summary>
    public Task IndexEmployerAsync(Certificate certificate, string? formerEmployerCode = null, CancellationToken cancellationToken = default) =>
        enterprises.IndexAsync(certificate, formerEmployerCode, cancellationToken);

    /// <summary>Makes sure the holder index has this certificate under its current holder (idempotent).</summary>
    public Task IndexHolderAsync(Certificate certificate, CancellationToken cancellationToken = default) =>
        account.Holders.UpsertEntityAsync(HolderEntity(certificate), TableUpdateMode.Replace, cancellationToken);

    /// <summary>The bucket (partition) a certificate is stored in; certificates of one bucket can be added in one transaction.</summary>
    public static string PartitionOf(string number) => CertificateRows.Partition(CertificateNumbers.Key(number));

    /// <summary>Every certificate stored in one bucket, by number key (a range read of the partition; claims are skipped).</summary>
    public async Task<Dictionary<string, Certificate>> InPartitionAsync(string partition, CancellationToken cancellationToken = default)
    {
        var found = new Dictionary<string, Certificate>();
        await foreach (var row in account.Certificates.QueryAsync<TableEntity>(e => e.PartitionKey == partition, cancellationToken: cancellationToken))
            if (CertificateRows.IsCertificate(row.RowKey)) found[row.RowKey] = FromEntity(row);
        return found;
    }

    /// <summary>
    /// Adds up to <see cref="MaxBatch"/> new certificates of one bucket in one transaction, all or
    /// nothing, without touching the holder index (<see cref="IndexHoldersAsync"/>) or the rosters
    /// (<see cref="IndexEmployersAsync"/>). Returns null
    /// when all were added; otherwise nothing was written and the result is the index of a
    /// certificate whose number is taken, or -1 when the storage did not say which.
    /// </summary>
    public async Task<int?> TryAddBatchAsync(IReadOnlyList<Certificate> certificates, CancellationToken cancellationToken = default)
    {
        if (certificates.Count is 0) return null;
        if (certificates.Count > MaxBatch) throw new ArgumentException($"At most {MaxBatch} certificates per transaction.", nameof(certificates));
        try
        {
            await account.Certificates.SubmitTransactionAsync(certificates.Select(c => new TableTransactionAction(TableTransactionActionType.Add, ToEntity(c))), cancellationToken);
            return null;
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            return e.FailedTransactionActionIndex ?? -1;
        }
    }

    /// <summary>
    /// Makes sure the holder index has these certificates under their holders (idempotent):
    /// upserts grouped by holder bucket, up to <see cref="MaxBatch"/> per transaction, a few buckets at a time.
    /// </summary>
    public async Task IndexHoldersAsync(IEnumerable<Certificate> certificates, int parallelism, CancellationToken cancellationToken = default)
    {
        var batches = certificates.Select(HolderEntity).DistinctBy(e => (e.PartitionKey, e.RowKey)).GroupBy(e => e.PartitionKey)
            .SelectMany(bucket => bucket.Chunk(MaxBatch)).ToList();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (batch, ct) =>
            await account.Holders.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), ct));
    }

    /// <summary>
    /// Makes sure the employers' rosters list these certificates as stored and every employer they
    /// name is known (a known record is kept): roster upserts and record adds grouped by enterprise
    /// partition, up to <see cref="MaxBatch"/> per transaction, a few partitions at a time.
    /// </summary>
    public async Task IndexEmployersAsync(IReadOnlyCollection<Certificate> certificates, int parallelism, CancellationToken cancellationToken = default)
    {
        await enterprises.IndexAsync(certificates, parallelism, cancellationToken);
        await enterprises.AddEmployersAsync(certificates, parallelism, cancellationToken);
    }

    /// <summary>
    /// The certificates of one bucket whose employer is <paramref name="employerCode"/>, with their
    /// ETags: one query of the partition, filtered by the storage (the register is the truth; a roster
    /// only says which buckets to look in).
    /// </summary>
    public async Task<IReadOnlyList<(Certificate Certificate, ETag ETag)>> OfEmployerInPartitionAsync(string partition, string employerCode,
        CancellationToken cancellationToken = default)
    {
        var found = new List<(Certificate, ETag)>();
        await foreach (var row in account.Certificates.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {partition} and EmployerCode eq {employerCode}"), maxPerPage: 1000, cancellationToken: cancellationToken))
            if (CertificateRows.IsCertificate(row.RowKey)) found.Add((FromEntity(row), row.ETag));
        return found;
    }

    /// <summary>
    /// Replaces up to <see cref="MaxBatch"/> certificates of one bucket in one transaction, each only
    /// if still at the ETag it was read with: all or nothing. Returns false on a concurrent change
    /// (nothing written). The indexes are the caller's (the holder does not change; the roster may).
    /// </summary>
    public async Task<bool> TryReplaceBatchAsync(IReadOnlyList<(Certificate Certificate, ETag ETag)> certificates, CancellationToken cancellationToken = default)
    {
        if (certificates.Count is 0) return true;
        if (certificates.Count > MaxBatch) throw new ArgumentException($"At most {MaxBatch} certificates per transaction.", nameof(certificates));
        try
        {
            await account.Certificates.SubmitTransactionAsync(
                certificates.Select(c => new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(c.Certificate), c.ETag)), cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412 or 404)
        {
            return false;
        }
    }

    private TableEntity HolderEntity(Certificate certificate)
    {
        var holder = account.PersonalKey(certificate.HolderIdNumber);
        return new TableEntity(CertificateRows.HolderPartition(holder), CertificateRows.OfHolder(holder, CertificateNumbers.Key(certificate.Number)));
    }

    private static TableEntity ClaimEntity(string number)
    {
        var key = CertificateNumbers.Key(number);
        return new TableEntity(CertificateRows.Partition(key), CertificateRows.OfClaim(key));
    }

    /// <summary>
    /// Takes the certificate's one open-application claim for an application at a version.
    /// Insert-if-absent makes two racing submissions, even from two app instances, end with
    /// exactly one holder. Returns the claim now on the certificate; <see cref="ClaimAttempt.Taken"/>
    /// only when this call created it (the caller may then release exactly that row).
    /// </summary>
    public async Task<ClaimAttempt> TryClaimAsync(string number, string applicationId, int version, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        try
        {
            var row = ClaimEntity(number);
            row["ApplicationId"] = applicationId; row["Version"] = version; row["ClaimedAt"] = at;
            var response = await account.Certificates.AddEntityAsync(row, cancellationToken);
            return new ClaimAttempt(new CertificateClaim(applicationId, version, at, StoredETag.Of(response)), Taken: true);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var row = await GetClaimRowAsync(number, cancellationToken);
            return new ClaimAttempt(row.HasValue ? ToClaim(row.Value!) : new CertificateClaim("", 0, at, default), Taken: false); // released meanwhile: caller retries
        }
    }

    /// <summary>Releases a claim if (and only if) this application holds it.</summary>
    public async Task ReleaseClaimAsync(string number, string applicationId, CancellationToken cancellationToken = default)
    {
        var row = await GetClaimRowAsync(number, cancellationToken);
        if (!row.HasValue || row.Value!.GetString("ApplicationId") != applicationId) return;
        await DeleteClaimAsync(number, row.Value.ETag, cancellationToken);
    }

    /// <summary>Deletes a claim seen with this ETag (a stale claim of a finished application).</summary>
    public async Task DeleteClaimAsync(string number, ETag etag, CancellationToken cancellationToken = default)
    {
        try
        {
            var claim = ClaimEntity(number);
            await account.Certificates.DeleteEntityAsync(claim.PartitionKey, claim.RowKey, etag, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412) { }
    }

    /// <summary>The certificate's open-application claim, if any.</summary>
    public async Task<CertificateClaim?> GetClaimAsync(string number, CancellationToken cancellationToken = default)
    {
        var row = await GetClaimRowAsync(number, cancellationToken);
        return row.HasValue ? ToClaim(row.Value!) : null;
    }

    private Task<NullableResponse<TableEntity>> GetClaimRowAsync(string number, CancellationToken cancellationToken)
    {
        var claim = ClaimEntity(number);
        return account.Certificates.GetEntityIfExistsAsync<TableEntity>(claim.PartitionKey, claim.RowKey, cancellationToken: cancellationToken);
    }

    private static CertificateClaim ToClaim(TableEntity r) =>
        new(r.GetString("ApplicationId"), r.GetInt32("Version") ?? 0, r.GetDateTimeOffset("ClaimedAt") ?? DateTimeOffset.MinValue, r.ETag);

    private static TableEntity ToEntity(Certificate c) => new(PartitionOf(c.Number), CertificateRows.OfCertificate(CertificateNumbers.Key(c.Number)))
    {
        ["Number"] = c.Number,
        ["HolderName"] = c.HolderName,
        ["HolderIdNumber"] = c.HolderIdNumber,
        ["Post"] = c.Post,
        ["Specialty"] = c.Specialty,
        ["Employer"] = c.Employer,
        ["EmployerCode"] = c.EmployerCode,
        ["CityCode"] = c.CityCode,
        ["IssuedOn"] = c.IssuedOn.ToString("yyyy-MM-dd"),
        ["ValidUntil"] = c.ValidUntil.ToString("yyyy-MM-dd"),
        ["Status"] = c.Status.ToString(),
        ["ReplacedBy"] = c.ReplacedBy,
        ["Replaces"] = c.Replaces,
        ["EmployerChangedOn"] = c.EmployerChangedOn?.ToString("yyyy-MM-dd"),
        ["Endorsements"] = JsonSerializer.Serialize(c.Endorsements, Json.Options),
    };

    private static Certificate FromEntity(TableEntity e) => new()
    {
        Number = e.GetString("Number") ?? e.RowKey,
        HolderName = e.GetString("HolderName"),
        HolderIdNumber = e.GetString("HolderIdNumber"),
        Post = e.GetString("Post"),
        Specialty = e.GetString("Specialty"),
        Employer = e.GetString("Employer"),
        EmployerCode = e.GetString("EmployerCode"),
        CityCode = e.GetString("CityCode"),
        IssuedOn = DateOnly.Parse(e.GetString("IssuedOn")),
        ValidUntil = DateOnly.Parse(e.GetString("ValidUntil")),
        Status = Enum.Parse<CertificateStatus>(e.GetString("Status")),
        ReplacedBy = e.GetString("ReplacedBy"),
        Replaces = e.GetString("Replaces"),
        EmployerChangedOn = e.GetString("EmployerChangedOn") is { } d ? DateOnly.Parse(d) : null,
        Endorsements = JsonSerializer.Deserialize<List<Endorsement>>(e.GetString("Endorsements") ?? "[]", Json.Options) ?? [],
    };
}
