using FuncRegistry.Core.Certificates;
using FuncRegistry.Core.Identifiers;
using FuncRegistry.Core.Province;
using FuncRegistry.Functions.Storage;

namespace FuncRegistry.Functions.Certificates;

/// <summary>A line the import refused and why.</summary>
public sealed record ImportRejection(int Line, string Error);

/// <summary>What an import did.</summary>
public sealed record ImportResult(int Imported, int Unchanged, IReadOnlyList<ImportRejection> Rejected);

/// <summary>
/// Bulk import of an existing register from CSV
/// (<c>number,holderName,holderIdNumber,post,employer,employerCode,cityCode,issuedOn,validUntil</c>).
/// It never overwrites: a certificate already in the register is counted unchanged when the
/// line matches it and rejected when it differs, so importing the same file again changes nothing
/// and cannot undo what approved applications changed.
/// </summary>
public sealed class CertificateImport(CertificateStore store, ProvinceProfile province, TimeProvider clock)
{
    /// <summary>The header the CSV must have.</summary>
    public static readonly string[] Header = ["number", "holderName", "holderIdNumber", "post", "employer", "employerCode", "cityCode", "issuedOn", "validUntil"];

    /// <summary>Imports a CSV stream.</summary>
    public async Task<ImportResult> ImportAsync(TextReader csv, CancellationToken cancellationToken = default)
    {
        var rejected = new List<ImportRejection>();
        var parsed = new List<(int Line, Certificate Certificate)>();
        var seen = new HashSet<string>();
        var headerSeen = false;
        await foreach (var (line, raw) in CsvRecords.ReadAsync(csv).WithCancellation(cancellationToken))
        {
            var fields = raw.Select(f => f.Trim()).ToArray();
            if (!headerSeen)
            {
                if (!Header.SequenceEqual(fields.Select(f => f.TrimStart('\uFEFF'))))
                    return new ImportResult(0, 0, [new ImportRejection(line, "表头应为：" + string.Join(",", Header))]);
                headerSeen = true;
                continue;
            }
            if (fields.Length != Header.Length) { rejected.Add(new ImportRejection(line, $"应有{Header.Length}列，实际{fields.Length}列")); continue; }
            var (certificate, error) = Parse(fields);
            if (error is null && !seen.Add(certificate!.Number)) error = "证书编号在文件中重复";
            if (error is not null) rejected.Add(new ImportRejection(line, error));
            else parsed.Add((line, certificate!));
        }
        if (!headerSeen) return new ImportResult(0, 0, [new ImportRejection(1, "文件为空；表头应为：" + string.Join(",", Header))]);

        int imported = 0, unchanged = 0;
        await Parallel.ForEachAsync(parsed, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (item, ct) =>
        {
            if (await store.TryAddAsync(item.Certificate, ct)) { Interlocked.Increment(ref imported); return; }
            var existing = await store.GetAsync(item.Certificate.Number, ct);
            if (existing is not null && SameRegisterData(existing.Value.Certificate, item.Certificate))
            {
                // Importing the same file again also repairs the holder index an interrupted import left incomplete.
                await store.IndexHolderAsync(existing.Value.Certificate, ct);
                Interlocked.Increment(ref unchanged);
            }
            else lock (rejected) rejected.Add(new ImportRejection(item.Line, "证书编号已存在且内容不同，导入不覆盖已有证书"));
        });
        return new ImportResult(imported, unchanged, rejected.OrderBy(r => r.Line).ToList());
    }

    private (Certificate?, string?) Parse(string[] f)
    {
        var today = Core.Applications.ApplicationDecider.Today(clock.GetUtcNow());
        if (!CertificateNumbers.IsWellFormed(f[0])) return (null, "证书编号格式不正确（4-32位字母、数字或-）");
        if (f[1].Length is 0 or > 50 || f[1].Any(char.IsControl)) return (null, "姓名不能为空且不超过50字");
        if (!ResidentIdNumber.TryParse(f[2], today, out var id)) return (null, "身份证号不正确");
        if (Posts.Parse(f[3]) is not { } post) return (null, "岗位不正确（施工员、质量员须注明专业，如“施工员(土建施工)”）");
        if (f[4].Length is 0 or > 100) return (null, "工作单位不能为空且不超过100字");
        if (!CreditCode.TryParse(f[5], out var code)) return (null, "统一社会信用代码格式不正确");
        if (province.CityOf(f[6]) is null) return (null, $"市州代码不属于{province.Name}");
        if (!DateOnly.TryParseExact(f[7], "yyyy-MM-dd", out var issued)) return (null, "发证日期格式应为yyyy-MM-dd");
        if (!DateOnly.TryParseExact(f[8], "yyyy-MM-dd", out var until) || until <= issued) return (null, "有效期至格式应为yyyy-MM-dd且晚于发证日期");
        return (new Certificate
        {
            Number = f[0], HolderName = f[1], HolderIdNumber = id!.Value, Post = post.Post, Specialty = post.Specialty,
            Employer = f[4], EmployerCode = code!.Value, CityCode = f[6], IssuedOn = issued, ValidUntil = until,
        }, null);
    }

    private static bool SameRegisterData(Certificate a, Certificate b) =>
        a.HolderName == b.HolderName && a.HolderIdNumber == b.HolderIdNumber && a.Post == b.Post && a.Specialty == b.Specialty &&
        a.Employer == b.Employer && a.EmployerCode == b.EmployerCode && a.CityCode == b.CityCode && a.IssuedOn == b.IssuedOn &&
        a.ValidUntil == b.ValidUntil;
}
