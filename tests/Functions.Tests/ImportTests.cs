using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FuncRegistry.Functions.Tests;

/// <summary>The register import's write path: add-only rows, a read only for a number that exists.</summary>
public sealed class ImportTests : IClassFixture<WorkflowTests.App>
{
    private readonly RegistryFactory _app;
    public ImportTests(WorkflowTests.App app) => _app = app.Factory;

    private static int[] RejectedLines(JsonElement result) =>
        result.GetProperty("rejected").EnumerateArray().Select(r => r.GetProperty("line").GetInt32()).ToArray();

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
}
