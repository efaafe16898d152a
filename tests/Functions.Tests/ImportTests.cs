using System.Text.Json;
using FuncRegistry.Core.Certificates;
using FuncRegistry.Functions.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FuncRegistry.Functions.Tests;

/// <summary>The register import's write path: new rows added up to 100 per transaction in their bucket, stored ones compared and never overwritten.</summary>
public sealed class ImportTests : IClassFixture<WorkflowTests.App>
{
    private readonly RegistryFactory _app;
    public ImportTests(WorkflowTests.App app) => _app = app.Factory;

    private static int[] RejectedLines(JsonElement result) =>
        result.GetProperty("rejected").EnumerateArray().Select(r => r.GetProperty("line").GetInt32()).ToArray();

    [Theory]
    [InlineData("", "文件为空")]
    [InlineData("证书编号,姓名\n甘建安C（2019）0012345,王磊\n", "第1行不是证书数据的表头")]
    [InlineData("\u0000\u0001PK\u0003\u0004", "第1行不是证书数据的表头")]
    public async Task A_file_that_is_no_register_is_refused_as_a_whole_with_nothing_written(string content, string reason)
    {
        var admin = await _app.AdminAsync();
        var response = await admin.PostAsync("/api/admin/certificates/import", new StringContent(content, System.Text.Encoding.UTF8, "text/csv"));
        var problem = await response.AssertProblemAsync(400, "invalid_register_file");
        Assert.Contains(reason, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_row_that_differs_from_a_stored_certificate_is_rejected_and_the_rest_of_the_file_is_imported()
    {
        var (taken, holder) = (TestData.CertificateNumber(), TestData.IdNumber());
        await _app.ImportAsync(TestData.Line(taken, holder, TestData.CreditCode(), name: "张三"));
        var others = Enumerable.Range(0, 5).Select(_ => TestData.Line(TestData.CertificateNumber(), TestData.IdNumber(), TestData.CreditCode())).ToArray();

        var result = await _app.ImportAsync([others[0], others[1], TestData.Line(taken, holder, TestData.CreditCode(), name: "李四"), .. others[2..]]);

        Assert.Equal(5, result.GetProperty("imported").GetInt32());
        Assert.Equal(0, result.GetProperty("unchanged").GetInt32());
        Assert.Equal([4], RejectedLines(result));
        Assert.Contains("不覆盖", result.GetProperty("rejected")[0].GetProperty("error").GetString());
        var stored = await (await (await _app.ApplicantAsync(holder)).GetAsync($"/api/certificates/{taken}")).AssertOkAsync();
        Assert.Equal("张三", stored.GetProperty("holderName").GetString());
    }

    [Fact]
    public async Task A_file_with_new_unchanged_and_conflicting_rows_is_counted_row_by_row_and_importing_it_again_changes_nothing()
    {
        var known = Enumerable.Range(0, 3).Select(_ => (Number: TestData.CertificateNumber(), Holder: TestData.IdNumber(), Code: TestData.CreditCode())).ToArray();
        await _app.ImportAsync(known.Select(k => TestData.Line(k.Number, k.Holder, k.Code)).ToArray());
        var fresh = Enumerable.Range(0, 40).Select(_ => TestData.Line(TestData.CertificateNumber(), TestData.IdNumber(), TestData.CreditCode())).ToArray();
        string[] file =
        [
            .. fresh[..20],
            TestData.Line(known[0].Number, known[0].Holder, known[0].Code),                      // line 22: as stored
            TestData.Line(known[1].Number, known[1].Holder, known[1].Code, validUntil: "2030-01-01"), // line 23: differs
            .. fresh[20..],
            TestData.Line(known[2].Number, known[2].Holder, known[2].Code),                      // line 44: as stored
        ];

        var first = await _app.ImportAsync(file);
        var again = await _app.ImportAsync(file);

        Assert.Equal((40, 2, "23"), (first.GetProperty("imported").GetInt32(), first.GetProperty("unchanged").GetInt32(), string.Join(",", RejectedLines(first))));
        Assert.Equal((0, 42, "23"), (again.GetProperty("imported").GetInt32(), again.GetProperty("unchanged").GetInt32(), string.Join(",", RejectedLines(again))));
        var admin = await _app.AdminAsync();
        Assert.Equal("2027-06-30", (await (await admin.GetAsync($"/api/certificates/{known[1].Number}")).AssertOkAsync()).GetProperty("validUntil").GetString());
    }

    [Fact]
    public async Task Every_imported_certificate_is_found_under_its_holder()
    {
        var holder = TestData.IdNumber();
        var numbers = Enumerable.Range(0, 12).Select(_ => TestData.CertificateNumber()).ToArray();

        await _app.ImportAsync(numbers.Select(n => TestData.Line(n, holder, TestData.CreditCode())).ToArray());

        var mine = await (await (await _app.ApplicantAsync(holder)).GetAsync("/api/certificates")).AssertOkAsync();
        Assert.Equal(numbers.Order(), mine.EnumerateArray().Select(c => c.GetProperty("number").GetString()!).Order());
    }

    [Fact]
    public async Task An_import_logs_a_progress_line_with_counts_and_no_line_content()
    {
        var logs = new PersonalDataLogTests.CapturingLoggerProvider();
        using var app = new RegistryFactory(services: s => s.AddLogging(b =>
        {
            b.AddProvider(logs);
            b.AddFilter<PersonalDataLogTests.CapturingLoggerProvider>(null, LogLevel.Information);
        }));
        var (taken, holder, code) = (TestData.CertificateNumber(), TestData.IdNumber(), TestData.CreditCode());
        await app.ImportAsync(TestData.Line(taken, holder, code, name: "欧阳明远"));
        logs.Records.Clear();

        await app.ImportAsync(
            TestData.Line(taken, holder, code, name: "欧阳明远"),
            TestData.Line(TestData.CertificateNumber(), holder, TestData.CreditCode(), name: "欧阳明远"),
            TestData.Line(TestData.CertificateNumber(), "110105194912310021", TestData.CreditCode(), name: "欧阳明远"));

        var lines = logs.Records.Where(r => r.Contains("Register import")).ToList();
        Assert.Contains(lines, l => l.Contains("2/2 rows written (1 imported, 1 unchanged, 0 conflicting), 1 lines rejected before writing"));
        Assert.DoesNotContain(lines, l => l.Contains(holder) || l.Contains("欧阳明远") || l.Contains(taken));
    }

    /// <summary>Fresh certificate numbers that all fall in one bucket (partition).</summary>
    private static string[] NumbersInOneBucket(int count)
    {
        var partition = CertificateStore.PartitionOf(TestData.CertificateNumber());
        var numbers = new List<string>();
        while (numbers.Count < count)
            if (TestData.CertificateNumber() is var n && CertificateStore.PartitionOf(n) == partition) numbers.Add(n);
        return [.. numbers];
    }

    [Fact]
    public void The_bucket_of_a_key_is_stable_across_processes_and_any_spelling_of_a_number()
    {
        // Fixed values: the bucket is part of every stored row's address, so it may never change (FNV-1a, not string.GetHashCode).
        Assert.Equal(43, CertificateRows.Bucket("甘建安C(2019)0012345"));
        Assert.Equal(7, CertificateRows.Bucket("豫建安B(2018)0001234"));
        Assert.Equal(16, CertificateRows.Bucket("鲁建安C2017000123"));
        Assert.Equal("c43", CertificateStore.PartitionOf("甘建安c（2019）0012345"));
        Assert.Equal("h53", CertificateRows.HolderPartition("0123456789abcdef0123456789abcdef"));
        Assert.All(Enumerable.Range(0, 1000).Select(_ => TestData.CertificateNumber()),
            n => Assert.InRange(CertificateRows.Bucket(CertificateNumbers.Key(n)), 0, CertificateRows.Buckets - 1));
    }

    [Fact]
    public async Task A_transaction_with_one_taken_number_writes_nothing_and_says_which()
    {
        var store = _app.Services.GetRequiredService<CertificateStore>();
        var numbers = NumbersInOneBucket(5);
        Certificate Of(string n) => new()
        {
            Number = n, HolderName = "张三", HolderIdNumber = TestData.IdNumber(), Post = "施工员", Employer = "兰州测试建设工程有限公司",
            EmployerCode = TestData.CreditCode(), CityCode = "620100", IssuedOn = new(2024, 6, 30), ValidUntil = new(2027, 6, 30),
        };
        Assert.True(await store.TryAddAsync(Of(numbers[2])));

        Assert.Equal(2, await store.TryAddBatchAsync(numbers.Select(Of).ToList()));

        Assert.Null(await store.GetAsync(numbers[0]));
        Assert.Null(await store.TryAddBatchAsync(numbers.Where((_, i) => i != 2).Select(Of).ToList()));
        Assert.All(numbers, n => Assert.NotNull(store.GetAsync(n).Result));
    }

    [Fact]
    public async Task A_bucket_with_one_stored_certificate_among_150_new_ones_imports_the_others_and_reports_it()
    {
        var numbers = NumbersInOneBucket(151);
        var holder = TestData.IdNumber();
        await _app.ImportAsync(TestData.Line(numbers[70], TestData.IdNumber(), TestData.CreditCode(), name: "张三"));
        var lines = numbers.Select((n, i) => TestData.Line(n, i % 10 == 0 ? holder : TestData.IdNumber(), TestData.CreditCode(), validUntil: i == 70 ? "2030-01-01" : "2028-06-30")).ToArray();

        var first = await _app.ImportAsync(lines);
        var again = await _app.ImportAsync(lines);

        Assert.Equal((150, 0, "72"), (first.GetProperty("imported").GetInt32(), first.GetProperty("unchanged").GetInt32(), string.Join(",", RejectedLines(first))));
        Assert.Equal((0, 150, "72"), (again.GetProperty("imported").GetInt32(), again.GetProperty("unchanged").GetInt32(), string.Join(",", RejectedLines(again))));
        var admin = await _app.AdminAsync();
        Assert.Equal("2027-06-30", (await (await admin.GetAsync(TestData.CertificatePath(numbers[70]))).AssertOkAsync()).GetProperty("validUntil").GetString());
        foreach (var n in numbers.Where((_, i) => i != 70))
            Assert.Equal("2028-06-30", (await (await admin.GetAsync(TestData.CertificatePath(n))).AssertOkAsync()).GetProperty("validUntil").GetString());
        var mine = await (await (await _app.ApplicantAsync(holder)).GetAsync("/api/certificates")).AssertOkAsync();
        Assert.Equal(numbers.Where((_, i) => i % 10 == 0 && i != 70).Order(), mine.EnumerateArray().Select(c => c.GetProperty("number").GetString()!).Order());
    }

    /// <summary>Certificates of one bucket stored by an import of their own: numbers with their holders and employers, as imported.</summary>
    private static async Task<(string Number, string Holder, string Code)[]> StoredInOneBucketAsync(RegistryFactory app, int count)
    {
        var stored = NumbersInOneBucket(count).Select(n => (Number: n, Holder: TestData.IdNumber(), Code: TestData.CreditCode())).ToArray();
        var result = await app.ImportAsync(stored.Select(s => TestData.Line(s.Number, s.Holder, s.Code)).ToArray());
        Assert.Equal(count, result.GetProperty("imported").GetInt32());
        return stored;
    }

    /// <summary>A fresh number in the same bucket as the given one.</summary>
    private static string NewNumberBeside(string number)
    {
        while (true)
            if (TestData.CertificateNumber() is var n && CertificateStore.PartitionOf(n) == CertificateStore.PartitionOf(number)) return n;
    }

    [Fact]
    public async Task A_small_file_into_a_bucket_holding_other_certificates_counts_stored_changed_and_new_rows_as_a_bucket_read_would()
    {
        var stored = await StoredInOneBucketAsync(_app, 30);
        var (fresh, freshHolder) = (NewNumberBeside(stored[0].Number), TestData.IdNumber());
        string[] file =
        [
            TestData.Line(stored[3].Number, stored[3].Holder, stored[3].Code),                          // line 2: as stored
            TestData.Line(stored[7].Number, stored[7].Holder, stored[7].Code, validUntil: "2030-01-01"), // line 3: differs
            TestData.Line(fresh, freshHolder, TestData.CreditCode()),                                   // line 4: new
        ];
        Assert.True(file.Length < Certificates.CertificateImport.ReadBucketFrom);

        var first = await _app.ImportAsync(file);
        var again = await _app.ImportAsync(file);

        Assert.Equal((1, 1, "3"), (first.GetProperty("imported").GetInt32(), first.GetProperty("unchanged").GetInt32(), string.Join(",", RejectedLines(first))));
        Assert.Contains("不覆盖", first.GetProperty("rejected")[0].GetProperty("error").GetString());
        Assert.Equal((0, 2, "3"), (again.GetProperty("imported").GetInt32(), again.GetProperty("unchanged").GetInt32(), string.Join(",", RejectedLines(again))));
        var admin = await _app.AdminAsync();
        Assert.Equal("2027-06-30", (await (await admin.GetAsync(TestData.CertificatePath(stored[7].Number))).AssertOkAsync()).GetProperty("validUntil").GetString());
        var mine = await (await (await _app.ApplicantAsync(freshHolder)).GetAsync("/api/certificates")).AssertOkAsync();
        Assert.Equal([fresh], mine.EnumerateArray().Select(c => c.GetProperty("number").GetString()!));
    }

    [Fact]
    public async Task A_bucket_with_few_file_rows_is_not_read_before_writing_and_one_with_many_is()
    {
        using var app = new RegistryFactory();
        var counter = new AppRequests(app);
        var stored = await StoredInOneBucketAsync(app, 200);
        string[] small =
        [
            TestData.Line(stored[0].Number, stored[0].Holder, stored[0].Code),                         // as stored
            TestData.Line(stored[1].Number, stored[1].Holder, stored[1].Code, validUntil: "2030-01-01"), // differs
            TestData.Line(NewNumberBeside(stored[0].Number), TestData.IdNumber(), TestData.CreditCode()), // new
        ];

        var before = counter.Snapshot();
        var result = await app.ImportAsync(small);
        var after = counter.Snapshot();

        Assert.Equal((1, 1, 1), (result.GetProperty("imported").GetInt32(), result.GetProperty("unchanged").GetInt32(), result.GetProperty("rejected").GetArrayLength()));
        Assert.Equal(0, after.TableQueries - before.TableQueries);   // no range query of the 200-row bucket
        Assert.Equal(2, after.Table.Reads - before.Table.Reads);     // one point read per refused row
        // Whole file: 1 transaction refused for the stored row, 1 for the changed one, 1 accepted; then the holder
        // index and the rosters of all three stored certificates (the changed line's too), one transaction per index
        // partition, and the three employers' records added unless known (a known one refuses its add: up to 3 more).
        Assert.InRange(after.TableBatches - before.TableBatches, 6, 12);

        var many = stored.Take(Certificates.CertificateImport.ReadBucketFrom).Select(s => TestData.Line(s.Number, s.Holder, s.Code)).ToArray();
        before = counter.Snapshot();
        result = await app.ImportAsync(many);
        after = counter.Snapshot();

        Assert.Equal(many.Length, result.GetProperty("unchanged").GetInt32());
        Assert.Equal(1, after.TableQueries - before.TableQueries);   // the bucket read once (one page: ≤ 1,000 rows) ...
        Assert.Equal(0, after.Table.Reads - after.TableQueries - (before.Table.Reads - before.TableQueries)); // ... and no point read
    }

    /// <summary>
    /// The app's own storage requests: the process's counter less the Durable provider's share (its partition
    /// manager reads a table about every second, and a longer import window would catch one of those reads).
    /// </summary>
    private sealed class AppRequests(RegistryFactory app)
    {
        private readonly StorageRequestCounter _all = app.Services.GetRequiredService<StorageRequestCounter>();
        private readonly StorageRequestCounter _provider =
            app.Services.GetRequiredKeyedService<StorageRequestCounter>(FuncRegistry.DevHost.DurableSidecar.ProviderRequests);

        public StorageRequestCounts Snapshot()
        {
            var (all, provider) = (_all.Snapshot(), _provider.Snapshot());
            static ServiceRequestCount Less(ServiceRequestCount a, ServiceRequestCount b) => new(a.Reads - b.Reads, a.Writes - b.Writes);
            return new StorageRequestCounts(Less(all.Table, provider.Table), Less(all.Queue, provider.Queue), Less(all.Blob, provider.Blob),
                all.TableQueries - provider.TableQueries, all.TableBatches - provider.TableBatches);
        }
    }

    [Fact]
    public async Task Importing_again_after_an_interrupted_import_finds_every_stored_certificate_under_its_holder_even_a_conflicting_line()
    {
        var store = _app.Services.GetRequiredService<CertificateStore>();
        var (same, corrected, holder, code) = (TestData.CertificateNumber(), TestData.CertificateNumber(), TestData.IdNumber(), TestData.CreditCode());
        // An import died after its certificate transactions and before the holder index (as TestData.Line writes them).
        Certificate Of(string number) => new()
        {
            Number = number, HolderName = "张三", HolderIdNumber = holder, Post = "施工员", Specialty = "土建施工", Employer = "兰州测试建设工程有限公司",
            EmployerCode = code, CityCode = "620100", IssuedOn = new(2024, 6, 30), ValidUntil = new(2027, 6, 30),
        };
        Assert.Null(await store.TryAddBatchAsync([Of(same)]));
        Assert.Null(await store.TryAddBatchAsync([Of(corrected)]));
        Assert.Empty(await store.ByHolderAsync(holder));

        // The admin imports the file again, one line corrected meanwhile: refused (never overwritten), yet indexed as stored.
        var result = await _app.ImportAsync(TestData.Line(same, holder, code, name: "张三"), TestData.Line(corrected, holder, code, name: "张三", validUntil: "2028-06-30"));

        Assert.Equal([3], RejectedLines(result));
        Assert.Equal(new[] { same, corrected }.Order(), (await store.ByHolderAsync(holder)).Select(c => c.Number).Order());
    }
}
