using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using FuncRegistry.Core.Certificates;
using FuncRegistry.Core.Enterprises;
using FuncRegistry.Core.Province;

namespace FuncRegistry.Functions.Storage;

/// <summary>One line of an enterprise's roster: what the roster shows of a certificate it employs.</summary>
/// <param name="Number">The certificate number as written.</param>
/// <param name="Status">The status as recorded (valid, cancelled, voided); whether it expired is read with <see cref="StatusOn"/>.</param>
/// <param name="CityCode">The certificate's city: whose reviewers see the holder's name unmasked.</param>
public sealed record RosterLine(string Number, string HolderName, string Post, string? Specialty, CertificateStatus Status, DateOnly ValidUntil, string CityCode)
{
    /// <summary>The status as of <paramref name="today"/> (Beijing date): the one expiry rule, <see cref="Certificate.IsPast"/>.</summary>
    public CertificateStatus StatusOn(DateOnly today) =>
        Status == CertificateStatus.Valid && Certificate.IsPast(ValidUntil, today) ? CertificateStatus.Expired : Status;
}

/// <summary>
/// Which lines of a roster: filters the storage applies (status as of <paramref name="Today"/>, post,
/// specialty, valid-until before a date, the holder by ID number) and one applied in memory
/// (<paramref name="Where"/>, e.g. the free-text search).
/// </summary>
public sealed record RosterQuery(
    DateOnly Today, CertificateStatus? Status = null, string? Post = null, string? Specialty = null, DateOnly? ValidUntilBefore = null,
    string? HolderIdNumber = null, Func<RosterLine, bool>? Where = null);

/// <summary>A page of a roster and the cursor of the next one (null: this was the last).</summary>
public sealed record RosterPage(IReadOnlyList<RosterLine> Lines, string? Next);

/// <summary>
/// Enterprises and their rosters on Table storage (the layout, in one place: <see cref="EnterpriseRows"/>,
/// ADR 0015). The roster is derived from the certificates: <see cref="CertificateStore"/> keeps it
/// true after each certificate write (upserts, so a repeated write repairs what a crash left), the
/// register import in batches. Every read is a point read or one key range of one partition.
/// </summary>
public sealed class EnterpriseStore(StorageAccount account)
{
    private static readonly string[] LineColumns = ["RowKey", "Number", "HolderName", "Post", "Specialty", "Status", "ValidUntil", "CityCode"];

    /// <summary>Rows read per request when lines are filtered in memory (the storage's most).</summary>
    private const int ScanPage = 1000;

    /// <summary>An enterprise's record, or null when it is not known.</summary>
    public async Task<Enterprise?> GetAsync(string uscc, CancellationToken cancellationToken = default)
    {
        var row = await account.Enterprises.GetEntityIfExistsAsync<TableEntity>(EnterpriseRows.Partition(uscc), EnterpriseRows.OfEnterprise(uscc),
            cancellationToken: cancellationToken);
        return row.HasValue ? new Enterprise(row.Value!.RowKey, row.Value.GetString("Name"), row.Value.GetString("CityCode")) : null;
    }

    /// <summary>Registers an enterprise or corrects its record (name, city); its roster is not touched.</summary>
    public Task UpsertAsync(Enterprise enterprise, CancellationToken cancellationToken = default) =>
        account.Enterprises.UpsertEntityAsync(ToEntity(enterprise), TableUpdateMode.Replace, cancellationToken);

    /// <summary>Adds an enterprise's record unless it is known; returns false when it was (the record is kept as it is).</summary>
    public async Task<bool> TryAddAsync(Enterprise enterprise, CancellationToken cancellationToken = default)
    {
        try
        {
            await account.Enterprises.AddEntityAsync(ToEntity(enterprise), cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>
    /// Every certificate number the roster lists under the employer, as written, in key order:
    /// one key range read in pages of 1,000 (only the number is transferred), so 10,000 certificates
    /// are 10 requests and never all in memory.
    /// </summary>
    public async IAsyncEnumerable<string> CertificateNumbersOfAsync(string uscc, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var row in account.Enterprises.QueryAsync<TableEntity>(EnterpriseRows.RosterFilter(uscc), maxPerPage: ScanPage,
            select: ["Number"], cancellationToken: cancellationToken))
            yield return row.GetString("Number");
    }

    /// <summary>How many certificates the roster lists (every status): the key range, row keys only.</summary>
    public async Task<int> CountAsync(string uscc, CancellationToken cancellationToken = default)
    {
        var count = 0;
        await foreach (var _ in account.Enterprises.QueryAsync<TableEntity>(EnterpriseRows.RosterFilter(uscc), maxPerPage: ScanPage,
            select: ["RowKey"], cancellationToken: cancellationToken))
            count++;
        return count;
    }

    /// <summary>Whether <paramref name="cursor"/> is one a page of this roster handed out.</summary>
    public static bool IsCursorOf(string uscc, string? cursor) => string.IsNullOrEmpty(cursor) || EnterpriseRows.RowKeyOfCursor(uscc, cursor) is not null;

    /// <summary>
    /// Up to <paramref name="limit"/> lines matching <paramref name="query"/>, in certificate-key
    /// order, after <paramref name="cursor"/>: one key range, read page after page until the page is
    /// full and one more line shows there is a next page (so the last page says so, never an empty
    /// one after it).
    /// </summary>
    public async Task<RosterPage> ListAsync(string uscc, RosterQuery query, int limit, string? cursor, CancellationToken cancellationToken = default)
    {
        var lines = new List<RosterLine>(limit);
        string? lastKey = null;
        await foreach (var (rowKey, line) in LinesAsync(uscc, query, EnterpriseRows.RowKeyOfCursor(uscc, cursor), query.Where is null ? limit + 1 : ScanPage, cancellationToken))
        {
            if (lines.Count == limit) return new RosterPage(lines, EnterpriseRows.Cursor(lastKey!));
            lines.Add(line);
            lastKey = rowKey;
        }
        return new RosterPage(lines, null);
    }

    /// <summary>Every line matching <paramref name="query"/> (an export), in certificate-key order.</summary>
    public async IAsyncEnumerable<RosterLine> AllAsync(string uscc, RosterQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var (_, line) in LinesAsync(uscc, query, null, ScanPage, cancellationToken)) yield return line;
    }

    private async IAsyncEnumerable<(string RowKey, RosterLine Line)> LinesAsync(string uscc, RosterQuery query, string? afterRowKey, int pageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = EnterpriseRows.RosterFilter(uscc, afterRowKey) + PropertyFilter(query);
        await foreach (var row in account.Enterprises.QueryAsync<TableEntity>(filter, maxPerPage: pageSize, select: LineColumns, cancellationToken: cancellationToken))
        {
            var line = ToLine(row);
            if (query.Where is null || query.Where(line)) yield return (row.RowKey, line);
        }
    }

    /// <summary>The query's filters the storage applies within the key range (the status as of its day: expired = recorded valid, valid-until before today).</summary>
    private string PropertyFilter(RosterQuery q)
    {
        var today = q.Today.ToString("yyyy-MM-dd");
        var parts = new List<string>();
        switch (q.Status)
        {
            case CertificateStatus.Valid: parts.Add(TableClient.CreateQueryFilter($"Status eq {nameof(CertificateStatus.Valid)} and ValidUntil ge {today}")); break;
            case CertificateStatus.Expired: parts.Add(TableClient.CreateQueryFilter($"Status eq {nameof(CertificateStatus.Valid)} and ValidUntil lt {today}")); break;
            case { } recorded: parts.Add(TableClient.CreateQueryFilter($"Status eq {recorded.ToString()}")); break;
        }
        if (q.Post is not null) parts.Add(TableClient.CreateQueryFilter($"Post eq {q.Post}"));
        if (q.Specialty is not null) parts.Add(TableClient.CreateQueryFilter($"Specialty eq {q.Specialty}"));
        if (q.ValidUntilBefore is { } before) parts.Add(TableClient.CreateQueryFilter($"ValidUntil lt {before.ToString("yyyy-MM-dd")}"));
        if (q.HolderIdNumber is not null) parts.Add(TableClient.CreateQueryFilter($"HolderKey eq {account.PersonalKey(q.HolderIdNumber)}"));
        return string.Concat(parts.Select(p => " and " + p));
    }

    /// <summary>
    /// Brings the roster up to date with one certificate as stored now (idempotent): its line under
    /// its employer is written; when the employer changed from <paramref name="formerEmployerCode"/>,
    /// the new employer's record is added unless known and the former employer's line goes — in that
    /// order, so a crash in between leaves the certificate on both rosters until the retry, never on none.
    /// </summary>
    public async Task IndexAsync(Certificate certificate, string? formerEmployerCode = null, CancellationToken cancellationToken = default)
    {
        await account.Enterprises.UpsertEntityAsync(ToEntity(certificate), TableUpdateMode.Replace, cancellationToken);
        if (string.IsNullOrEmpty(formerEmployerCode) || EnterpriseRows.Key(formerEmployerCode) == EnterpriseRows.Key(certificate.EmployerCode)) return;
        await TryAddAsync(EnterpriseOf(certificate), cancellationToken);
        try
        {
            await account.Enterprises.DeleteEntityAsync(EnterpriseRows.Partition(formerEmployerCode),
                EnterpriseRows.OfRosterLine(formerEmployerCode, CertificateNumbers.Key(certificate.Number)), ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404) { }
    }

    /// <summary>
    /// Makes sure the rosters list these certificates as stored (idempotent): upserts grouped by
    /// enterprise partition, up to <see cref="CertificateStore.MaxBatch"/> per transaction, a few at a time.
    /// </summary>
    public Task IndexAsync(IEnumerable<Certificate> certificates, int parallelism, CancellationToken cancellationToken = default) =>
        InBatchesAsync(certificates.Select(ToEntity), TableTransactionActionType.UpsertReplace, parallelism, cancellationToken);

    /// <summary>
    /// Adds the records of the employers of these certificates that are not known yet (name and city
    /// from the first certificate naming each); a known record is kept as it is. Adds in transactions
    /// of up to <see cref="CertificateStore.MaxBatch"/> per partition; one refused because a record
    /// exists goes again without it (row by row when the storage does not say which).
    /// </summary>
    public async Task AddEmployersAsync(IEnumerable<Certificate> certificates, int parallelism, CancellationToken cancellationToken = default)
    {
        var batches = certificates.Select(EnterpriseOf).DistinctBy(e => e.Uscc).Select(ToEntity).GroupBy(e => e.PartitionKey)
            .SelectMany(partition => partition.Chunk(CertificateStore.MaxBatch)).ToList();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (chunk, ct) =>
        {
            var batch = chunk.ToList();
            while (batch.Count > 0)
            {
                try
                {
                    await account.Enterprises.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)), ct);
                    return;
                }
                catch (TableTransactionFailedException e) when (e.Status == 409)
                {
                    if (e.FailedTransactionActionIndex is not { } known || known < 0 || known >= batch.Count)
                    {
                        foreach (var row in batch)
                            try { await account.Enterprises.AddEntityAsync(row, ct); }
                            catch (RequestFailedException r) when (r.Status == 409) { }
                        return;
                    }
                    batch.RemoveAt(known);
                }
            }
        });
    }

    private async Task InBatchesAsync(IEnumerable<TableEntity> entities, TableTransactionActionType action, int parallelism, CancellationToken cancellationToken)
    {
        var batches = entities.DistinctBy(e => (e.PartitionKey, e.RowKey)).GroupBy(e => e.PartitionKey)
            .SelectMany(partition => partition.Chunk(CertificateStore.MaxBatch)).ToList();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (batch, ct) =>
            await account.Enterprises.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(action, e)), ct));
    }

    /// <summary>The record an employer gets from a certificate naming it: its name as the certificate writes it, the certificate's city.</summary>
    private static Enterprise EnterpriseOf(Certificate c) =>
        new(EnterpriseRows.Key(c.EmployerCode), c.Employer, DivisionCodes.CityOf(c.CityCode) ?? c.CityCode);

    private static TableEntity ToEntity(Enterprise e) => new(EnterpriseRows.Partition(e.Uscc), EnterpriseRows.OfEnterprise(e.Uscc))
    {
        ["Name"] = e.Name,
        ["CityCode"] = e.CityCode,
    };

    private TableEntity ToEntity(Certificate c) => new(EnterpriseRows.Partition(c.EmployerCode), EnterpriseRows.OfRosterLine(c.EmployerCode, CertificateNumbers.Key(c.Number)))
    {
        ["Number"] = c.Number,
        ["HolderName"] = c.HolderName,
        ["HolderKey"] = account.PersonalKey(c.HolderIdNumber),
        ["Post"] = c.Post,
        ["Specialty"] = c.Specialty,
        ["Status"] = c.Status.ToString(),
        ["ValidUntil"] = c.ValidUntil.ToString("yyyy-MM-dd"),
        ["CityCode"] = c.CityCode,
    };

    private static RosterLine ToLine(TableEntity e) => new(
        e.GetString("Number"), e.GetString("HolderName"), e.GetString("Post"), e.GetString("Specialty"),
        Enum.Parse<CertificateStatus>(e.GetString("Status")), DateOnly.Parse(e.GetString("ValidUntil")), e.GetString("CityCode"));
}
