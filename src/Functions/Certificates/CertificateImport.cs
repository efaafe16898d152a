using FuncRegistry.Core.Certificates;
using FuncRegistry.Core.Identifiers;
using FuncRegistry.Core.Province;
using FuncRegistry.Functions.Storage;

namespace FuncRegistry.Functions.Certificates;

/// <summary>A line the import refused and why.</summary>
public sealed record ImportRejection(int Line, string Error);

/// <summary>What an import did.</summary>
public sealed record ImportResult(int Imported, int Unchanged, IReadOnlyList<ImportRejection> Rejected)
{
    /// <summary>Why the file as a whole is no register (empty, or not our header): nothing was read or written. Answered as a 400, not as a result.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? NotARegister { get; init; }

    /// <summary>A file refused as a whole.</summary>
    public static ImportResult Refused(string why) => new(0, 0, []) { NotARegister = why };
}

/// <summary>
/// Bulk import of an existing register from CSV
/// (<c>number,holderName,holderIdNumber,post,employer,employerCode,cityCode,issuedOn,validUntil</c>,
/// optionally followed by <c>status,employerChangedOn,replacedBy</c> so that a migrated register
/// keeps its cancelled and voided certificates and the date of each one's last employer change,
/// which the 3-month rule reads). It never overwrites: a certificate already in the register is
/// counted unchanged when the line matches it and rejected when it differs, so importing the same
/// file again changes nothing and cannot undo what approved applications changed.
/// </summary>
public sealed class CertificateImport(CertificateStore store, ProvinceProfile province, TimeProvider clock, ILogger<CertificateImport> logger)
{
    /// <summary>A progress line is logged after every this many rows written (and one at the end).</summary>
    public const int ProgressEvery = 10_000;

    /// <summary>
    /// Buckets written at once. Certificates share hash-bucket partitions (ADR 0012), so each
    /// bucket's new rows go in transactions of up to 100; a few buckets in flight keep the storage
    /// busy, and beyond what it serves more only queue up (docs/performance.md).
    /// </summary>
    private const int WriteConcurrency = 12;

    /// <summary>
    /// A bucket with fewer file rows than this is not read before writing (ADR 0012): its rows go
    /// straight out as <c>Add</c> transactions, and a row already stored is found by the
    /// transaction's refusal (409 naming it) and compared by one point read. 1/8 of a transaction
    /// (12 rows). Why: skipping costs nothing extra for new rows and, in the worst case (every row
    /// already stored, e.g. the same small file sent twice), 2 requests per row — at most 22
    /// requests and 66 small entities re-sent for the bucket — while reading a bucket costs one
    /// request per 1,000 stored rows and moves all of them (≈ 7,800 rows at 500,000 certificates,
    /// ≈ 1,560 at 100,000). Twelve rows in a bucket means a file of roughly 750+ rows overall (a
    /// bulk load or migration), where the one read per bucket pays for itself and spares the
    /// quadratic re-sending of refused transactions.
    /// </summary>
    public const int ReadBucketFrom = CertificateStore.MaxBatch / 8;

    /// <summary>The header the CSV must have.</summary>
    public static readonly string[] Header = ["number", "holderName", "holderIdNumber", "post", "employer", "employerCode", "cityCode", "issuedOn", "validUntil"];

    /// <summary>The header of a register migrated with each certificate's standing.</summary>
    public static readonly string[] HeaderWithStanding = [.. Header, "status", "employerChangedOn", "replacedBy"];

    /// <summary>Imports a CSV stream.</summary>
    public async Task<ImportResult> ImportAsync(TextReader csv, CancellationToken cancellationToken = default)
    {
        var rejected = new List<ImportRejection>();
        var parsed = new List<(int Line, Certificate Certificate)>();
        var seen = new HashSet<string>();
        var headerSeen = false;
        var columns = Header;
        await foreach (var (line, raw) in CsvRecords.ReadAsync(csv).WithCancellation(cancellationToken))
        {
            var fields = raw.Select(f => f.Trim()).ToArray();
            if (!headerSeen)
            {
                var names = fields.Select(f => f.TrimStart('\uFEFF')).ToArray();
                if (HeaderWithStanding.SequenceEqual(names)) columns = HeaderWithStanding;
                else if (!Header.SequenceEqual(names))
                    return ImportResult.Refused($"第{line}行不是证书数据的表头；表头应为：{string.Join(",", Header)}（迁移的登记簿可在末尾同时加上 status,employerChangedOn,replacedBy 三列）");
                headerSeen = true;
                continue;
            }
            if (fields.Length != columns.Length) { rejected.Add(new ImportRejection(line, $"应有{columns.Length}列，实际{fields.Length}列")); continue; }
            var (certificate, error) = Parse(fields);
            // Two spellings of one number (half- and full-width parentheses, letter case) are one certificate.
            if (error is null && !seen.Add(CertificateNumbers.Key(certificate!.Number))) error = "证书编号在文件中重复（全角/半角括号或字母大小写不同也视为同一编号）";
            if (error is not null) rejected.Add(new ImportRejection(line, error));
            else parsed.Add((line, certificate!));
        }
        if (!headerSeen) return ImportResult.Refused("文件为空；第一行应为表头：" + string.Join(",", Header));
        // A voided certificate and the one that replaced it, both in the file: the link goes both ways, as a reissue writes it.
        var replacing = new Dictionary<string, string>();
        foreach (var (_, voided) in parsed.Where(p => p.Certificate.ReplacedBy is not null)) replacing.TryAdd(CertificateNumbers.Key(voided.ReplacedBy!), voided.Number);
        parsed = parsed.Select(p => replacing.TryGetValue(CertificateNumbers.Key(p.Certificate.Number), out var replaced) ? p with { Certificate = p.Certificate with { Replaces = replaced } } : p).ToList();

        var progress = new ImportProgress(parsed.Count, rejected.Count, clock, logger);
        var buckets = parsed.GroupBy(p => CertificateStore.PartitionOf(p.Certificate.Number)).ToList();
        var toIndex = new List<Certificate>();
        await Parallel.ForEachAsync(buckets, new ParallelOptions { MaxDegreeOfParallelism = WriteConcurrency, CancellationToken = cancellationToken }, async (bucket, ct) =>
        {
            var (written, conflicts) = await WriteBucketAsync(bucket.Key, bucket.ToList(), columns, progress, ct);
            lock (toIndex) toIndex.AddRange(written);
            if (conflicts.Count > 0) lock (rejected) rejected.AddRange(conflicts.Select(line => new ImportRejection(line, "证书编号已存在且内容不同，导入不覆盖已有证书")));
        });
        // The holder index and the employers' rosters are derived from what is stored, upserted in batches once
        // every bucket is written (a bucket's holders and employers spread over every index partition, so
        // indexing per bucket would cost four times the transactions). An employer not yet known gets its
        // record from the first line of the file naming it (buckets finish in any order); a known one keeps its record. An interrupted import
        // fails its request; importing the same file again repairs both indexes for every certificate the
        // file names, conflicting lines included (and so builds the rosters of a register stored before them).
        await store.IndexHoldersAsync(toIndex, WriteConcurrency, cancellationToken);
        var lineOf = parsed.ToDictionary(p => CertificateNumbers.Key(p.Certificate.Number), p => p.Line);
        await store.IndexEmployersAsync(toIndex.OrderBy(c => lineOf[CertificateNumbers.Key(c.Number)]).ToList(), WriteConcurrency, cancellationToken);
        progress.Finished();
        var (imported, unchanged) = (progress.Imported, progress.Unchanged);
        return new ImportResult(imported, unchanged, rejected.OrderBy(r => r.Line).ToList());
    }

    /// <summary>
    /// One bucket's rows. With at least <see cref="ReadBucketFrom"/> rows, what the bucket already
    /// holds is read in one range query and rows already stored are compared (unchanged or
    /// conflicting, never written); with fewer, nothing is read first. The rest are added in
    /// transactions of up to 100. A transaction refused because a number is taken (stored before,
    /// or meanwhile) loses that row to the same comparison, by a point read, and goes again with
    /// the rest. Returns the certificates now stored for the file's unrefused rows (to index) and
    /// the lines that conflict.
    /// </summary>
    private async Task<(List<Certificate> Written, List<int> Conflicts)> WriteBucketAsync(string partition, List<(int Line, Certificate Certificate)> rows,
        string[] columns, ImportProgress progress, CancellationToken cancellationToken)
    {
        var stored = rows.Count >= ReadBucketFrom ? await store.InPartitionAsync(partition, cancellationToken) : [];
        var written = new List<Certificate>();
        var conflicts = new List<int>();
        void Compare((int Line, Certificate Certificate) row, Certificate? existing)
        {
            if (existing is null || !SameRegisterData(existing, row.Certificate) || (columns != Header && !SameStanding(existing, row.Certificate)))
            {
                // The index follows what is stored, whatever the file says: a stored certificate
                // an interrupted import left unindexed is indexed again even when its line conflicts.
                if (existing is not null) written.Add(existing);
                conflicts.Add(row.Line);
                progress.Count(RowOutcome.Conflict);
                return;
            }
            written.Add(existing);
            progress.Count(RowOutcome.Unchanged);
        }

        var fresh = new List<(int Line, Certificate Certificate)>();
        foreach (var row in rows)
            if (stored.TryGetValue(CertificateNumbers.Key(row.Certificate.Number), out var existing)) Compare(row, existing);
            else fresh.Add(row);

        foreach (var chunk in fresh.Chunk(CertificateStore.MaxBatch))
        {
            var batch = chunk.ToList();
            while (batch.Count > 0)
            {
                var taken = await store.TryAddBatchAsync(batch.Select(r => r.Certificate).ToList(), cancellationToken);
                if (taken is null)
                {
                    foreach (var row in batch) { written.Add(row.Certificate); progress.Count(RowOutcome.Imported); }
                    break;
                }
                if (taken is not { } index || index < 0 || index >= batch.Count)
                {
                    // The storage did not say which number is taken: row by row for this batch.
                    foreach (var row in batch)
                        if (await store.TryAddBatchAsync([row.Certificate], cancellationToken) is null) { written.Add(row.Certificate); progress.Count(RowOutcome.Imported); }
                        else Compare(row, (await store.GetAsync(row.Certificate.Number, cancellationToken))?.Certificate);
                    break;
                }
                Compare(batch[index], (await store.GetAsync(batch[index].Certificate.Number, cancellationToken))?.Certificate);
                batch.RemoveAt(index);
            }
        }
        return (written, conflicts);
    }

    private (Certificate?, string?) Parse(string[] f)
    {
        var today = Core.Applications.ApplicationDecider.Today(clock.GetUtcNow());
        if (CertificateNumbers.Problem(f[0]) is { } numberProblem) return (null, numberProblem);
        if (f[1].Length is 0 or > 50 || f[1].Any(char.IsControl)) return (null, "姓名不能为空且不超过50字");
        if (!ResidentIdNumber.TryParse(f[2], today, out var id)) return (null, "身份证号不正确");
        if (Posts.Parse(f[3]) is not { } post) return (null, "岗位不正确（施工员、质量员须注明专业，如“施工员(土建施工)”）");
        if (f[4].Length is 0 or > 100) return (null, "工作单位不能为空且不超过100字");
        if (!CreditCode.TryParse(f[5], out var code)) return (null, "统一社会信用代码格式不正确");
        if (province.CityOf(f[6]) is null) return (null, $"市州代码不属于{province.Name}");
        if (!DateOnly.TryParseExact(f[7], "yyyy-MM-dd", out var issued)) return (null, "发证日期格式应为yyyy-MM-dd");
        if (!DateOnly.TryParseExact(f[8], "yyyy-MM-dd", out var until) || until <= issued) return (null, "有效期至格式应为yyyy-MM-dd且晚于发证日期");
        var certificate = new Certificate
        {
            Number = f[0], HolderName = f[1], HolderIdNumber = id!.Value, Post = post.Post, Specialty = post.Specialty,
            Employer = f[4], EmployerCode = code!.Value, CityCode = f[6], IssuedOn = issued, ValidUntil = until,
        };
        return f.Length == Header.Length ? (certificate, null) : WithStanding(certificate, f[9], f[10], f[11], today);
    }

    /// <summary>The optional columns: status (empty = valid), the last employer change, and for a voided certificate the one that replaced it.</summary>
    private static (Certificate?, string?) WithStanding(Certificate c, string status, string employerChangedOn, string replacedBy, DateOnly today)
    {
        CertificateStatus? parsed = status switch
        {
            "" or "valid" or "有效" => CertificateStatus.Valid,
            "cancelled" or "注销" => CertificateStatus.Cancelled,
            "voided" or "作废" => CertificateStatus.Voided,
            // Expiry is read from valid-until, never recorded: an expired certificate is a valid one past its date.
            "expired" or "已过期" when c.StatusOn(today) == CertificateStatus.Expired => CertificateStatus.Valid,
            _ => null,
        };
        if (parsed is null && status is "expired" or "已过期")
            return (null, $"状态为已过期，但有效期至{c.ValidUntil:yyyy-MM-dd}尚未到期：请留空或填 valid（是否过期由有效期至日期决定）");
        if (parsed is not { } standing) return (null, "状态应为 valid、cancelled、voided、expired（或 有效、注销、作废、已过期），留空为有效");
        DateOnly? changedOn = null;
        if (employerChangedOn.Length > 0)
        {
            if (!DateOnly.TryParseExact(employerChangedOn, "yyyy-MM-dd", out var on) || on < c.IssuedOn || on > today)
                return (null, "最近一次变更工作单位日期格式应为yyyy-MM-dd，不早于发证日期且不晚于今天");
            changedOn = on;
        }
        if (replacedBy.Length > 0 && standing != CertificateStatus.Voided) return (null, "只有作废的证书可以填写补发的新证书编号");
        if (replacedBy.Length > 0 && CertificateNumbers.Problem(replacedBy) is { } problem) return (null, "补发的新证书编号不正确：" + problem);
        if (replacedBy.Length > 0 && CertificateNumbers.Same(replacedBy, c.Number)) return (null, "补发的新证书编号不能与本证书编号相同");
        return (c with { Status = standing, EmployerChangedOn = changedOn, ReplacedBy = replacedBy.Length > 0 ? replacedBy : null }, null);
    }

    private static bool SameRegisterData(Certificate a, Certificate b) =>
        a.HolderName == b.HolderName && a.HolderIdNumber == b.HolderIdNumber && a.Post == b.Post && a.Specialty == b.Specialty &&
        a.Employer == b.Employer && a.EmployerCode == b.EmployerCode && a.CityCode == b.CityCode && a.IssuedOn == b.IssuedOn &&
        a.ValidUntil == b.ValidUntil;

    /// <summary>The standing columns, compared only when the file has them (a plain file says nothing of a certificate cancelled since).</summary>
    private static bool SameStanding(Certificate a, Certificate b) =>
        a.Status == b.Status && a.EmployerChangedOn == b.EmployerChangedOn
        && (a.ReplacedBy is null ? b.ReplacedBy is null : b.ReplacedBy is not null && CertificateNumbers.Same(a.ReplacedBy, b.ReplacedBy));
}
