using System.Text;
using FuncRegistry.Core.Identifiers;

namespace FuncRegistry.Bench;

/// <summary>Synthetic certificates for the benchmark (valid identifiers, no real people).</summary>
public static class Register
{
    public sealed record Holder(string Number, string IdNumber, string City);

    public static string Header => "number,holderName,holderIdNumber,post,employer,employerCode,cityCode,issuedOn,validUntil";

    /// <summary>Makes <paramref name="count"/> certificates numbered from <paramref name="first"/>.</summary>
    public static (string Csv, IReadOnlyList<Holder> Holders) Make(string run, int first, int count, string city = "620100")
    {
        var csv = new StringBuilder(Header).Append('\n');
        var holders = new List<Holder>(count);
        var employerBody = $"91{city}MA{run[..7].ToUpperInvariant().Replace('I', '1').Replace('O', '0').Replace('Z', '2').Replace('S', '5').Replace('V', 'W')}";
        var employer = employerBody[..17] + CreditCode.CheckCharacterFor(employerBody.AsSpan(0, 17));
        for (var i = first; i < first + count; i++)
        {
            var body = $"{city[..4]}02{1960 + i % 40}{1 + i % 12:D2}{1 + i % 28:D2}{i % 1000:D3}";
            // The sequence digits repeat every 1000, so vary the birth year/day with i to keep numbers distinct enough.
            var id = body + ResidentIdNumber.CheckCharacterFor(body);
            // Numbered as Gansu's register writes them, the run in the parentheses (unique across runs on one Azurite):
            // 甘建安C（RUN1A2B3C）0000001; every third with half-width parentheses, as registers mix them.
            var number = i % 3 == 0 ? $"甘建安C({run.ToUpperInvariant()}){i:D7}" : $"甘建安C（{run.ToUpperInvariant()}）{i:D7}";
            holders.Add(new Holder(number, id, city));
            csv.Append($"{number},测试{i % 100},{id},安全员,兰州基准测试建设有限公司,{employer},{city},2025-01-01,2028-01-01\n");
        }
        return (csv.ToString(), holders);
    }
}
