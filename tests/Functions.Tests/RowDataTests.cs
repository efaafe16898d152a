using Azure.Data.Tables;
using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Documents;
using FuncRegistry.Functions.Storage;
using Xunit.Abstractions;

namespace FuncRegistry.Functions.Tests;

/// <summary>
/// Event and outbox rows within Table storage's limits (ADR 0019): a string property holds 32K UTF-16
/// characters and an entity 1 MiB; a 200-line batch's events are longer than one property, so their
/// data continues in further properties (<see cref="RowData"/>). No storage needed: the rows are built
/// as the store builds them and measured.
/// </summary>
public sealed class RowDataTests(ITestOutputHelper output)
{
    /// <summary>Table storage's limit of one string property, in UTF-16 units.</summary>
    private const int PropertyLimit = 32 * 1024;

    /// <summary>An entity's size as Table storage counts it (learn.microsoft.com, "Understanding the Table service data model").</summary>
    private static long EntityBytes(TableEntity row) =>
        4 + (row.PartitionKey.Length + row.RowKey.Length) * 2L
        + row.Where(p => p.Key is not ("PartitionKey" or "RowKey" or "odata.etag" or "Timestamp"))
            .Sum(p => 8 + p.Key.Length * 2L + (p.Value is string s ? 4 + s.Length * 2L : 8));

    private static readonly string[] Names = ["欧阳建国", "司马秀英", "阿依古丽·买买提", "诸葛明轩", "王𠮷", "热依拉·阿不都热合曼", "皇甫俊杰", "东方红霞"];

    /// <summary>200 lines as long as registers write them, 199 struck with the longest reason a reviewer may give (500 characters, some outside the basic plane).</summary>
    private static List<BatchLine> Lines(bool struck) => Enumerable.Range(1, 200).Select(i => new BatchLine(
        $"甘建安C（2025）{1_000_000 + i:D7}", Names[i % Names.Length], IdNumber($"62010219850312{i % 1000:D3}"), "施工员", ValidUntil: new DateOnly(2028, 6, 30),
        StruckReason: struck && i > 1 ? string.Concat(Enumerable.Repeat("照片与持证人不符𠮷", 60))[..500] : null)).ToList();

    private static string IdNumber(string body) => body + Core.Identifiers.ResidentIdNumber.CheckCharacterFor(body);

    private static readonly ActorRef Enterprise = new(Role.Enterprise, "ent-91620100MA74ABCD1X", "甘肃省兰州市城关区宏远建筑安装工程有限责任公司经办人", Org: "91620100MA74ABCD1X");

    [Fact]
    public void A_200_line_batch_s_submission_is_longer_than_a_property_holds_and_its_events_are_kept_within_every_limit()
    {
        var at = new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(8));
        var lines = Lines(struck: false);
        var created = new ApplicationEvent.Created("SQ20261123000042", ApplicationKind.BatchReissue, lines[0].CertificateNumber, "620100", lines[0].HolderIdNumber,
            lines[0].HolderName, "91620100MA74ABCD1X", new DateOnly(2028, 6, 30), new ApplicationDetails("13993712345", ReissueReason: ReissueReason.Lost), Enterprise, at,
            Lines: lines);
        var documents = Enumerable.Range(0, 210).Select(i => new DocumentReference($"0190f0a1b2c34d5e8f9a0b1c2d3e{i:D4}", i == 0 ? DocumentType.EnterpriseCommitment : DocumentType.Photo,
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i))))).ToList();
        // The worst a submission can record: every line but one struck in earlier rounds with the longest reason, and the most documents a batch may hold.
        var worst = new ApplicationEvent.Submitted(3, new DateOnly(2028, 6, 30), Enterprise, at, documents, Lines: Lines(struck: true));
        var first = new ApplicationEvent.Submitted(1, new DateOnly(2028, 6, 30), Enterprise, at, documents[..201], Lines: lines);

        foreach (var (name, e) in new (string, ApplicationEvent)[] { ("Created", created), ("first Submitted (201 documents)", first), ("worst Submitted", worst) })
        {
            var row = ApplicationStore.Serialize("SQ20261123000042", "e00001", e);
            var data = RowData.Read(row)!;
            output.WriteLine($"{name} of 200 lines: {data.Length:N0} characters in {row.Keys.Count(k => k.StartsWith("Data", StringComparison.Ordinal))} properties, {EntityBytes(row):N0} bytes");
            if (e is ApplicationEvent.Submitted) Assert.True(data.Length > PropertyLimit, $"{name}: {data.Length}"); // one property would not hold it
            Assert.All(row.Select(p => p.Value).OfType<string>(), v => Assert.InRange(v.Length, 0, PropertyLimit));
            Assert.InRange(EntityBytes(row), 0, 1024 * 1024);
            Assert.Equal(System.Text.Json.JsonSerializer.Serialize(e, e.GetType(), Core.Serialization.Json.Options), data);
        }
    }

    [Fact]
    public void A_value_is_cut_only_between_whole_characters_and_reads_back_as_written()
    {
        // A character outside the basic plane (two UTF-16 units) straddles where the first part would end.
        var value = new string('甲', RowData.MaxChars - 1) + "𠮷" + new string('乙', RowData.MaxChars) + "𠮷";
        var row = new TableEntity("registry", "a|SQ20261123000042|e00001");

        RowData.Write(row, value);

        Assert.Equal(value, RowData.Read(row));
        var parts = new[] { row.GetString("Data"), row.GetString("Data1"), row.GetString("Data2") };
        Assert.All(parts, p => Assert.False(char.IsHighSurrogate(p![^1]) || char.IsLowSurrogate(p[0]), "a part cut a character in two"));
        Assert.All(parts, p => Assert.InRange(p!.Length, 1, RowData.MaxChars));
        Assert.False(row.ContainsKey("Data3"));
    }

    [Fact]
    public void A_short_value_is_one_property_as_rows_were_written_before()
    {
        var row = new TableEntity("registry", "a|SQ20261123000042|o00002-0") { ["Data"] = "{\"applicationId\":\"SQ20261123000042\"}" };
        Assert.Equal("{\"applicationId\":\"SQ20261123000042\"}", RowData.Read(row));

        var written = new TableEntity("registry", "a|SQ20261123000042|o00002-1");
        RowData.Write(written, "");
        Assert.Equal(("", false), (RowData.Read(written), written.ContainsKey("Data1")));
    }
}
