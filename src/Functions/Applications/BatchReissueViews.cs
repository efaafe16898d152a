using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Certificates;
using FuncRegistry.Core.Identifiers;

namespace FuncRegistry.Functions.Applications;

/// <summary>
/// One certificate of a batch reissue as shown to a caller: the holder's name masked by the one
/// rule (<see cref="AccessRules.SeesPersonalDataOf"/>); once approved, the number issued in its place.
/// </summary>
public sealed record BatchLineView(string CertificateNumber, string HolderName, string Post, bool Struck, string? StrikeReason, string? NewCertificateNumber)
{
    /// <summary>The lines of <paramref name="state"/> as <paramref name="viewer"/> may see them; null for other kinds.</summary>
    public static IReadOnlyList<BatchLineView>? For(ApplicationState state, Actor viewer, ReissueNumberFormat numbers) =>
        state.Kind != ApplicationKind.BatchReissue ? null : state.Lines.Select((l, i) => new BatchLineView(l.CertificateNumber,
            AccessRules.SeesPersonalDataOf(viewer, l.HolderIdNumber, state.CityCode) ? l.HolderName : Masking.Name(l.HolderName), l.Post, l.Struck, l.StruckReason,
            state.Status == ApplicationStatus.Approved && !l.Struck ? BatchReissue.NewNumber(state, i + 1, numbers) : null)).ToList();
}

/// <summary>The lines of a batch reissue, and the checks of its request.</summary>
public static class BatchReissueRequests
{
    /// <summary>Field problems of a batch reissue's request, added to <paramref name="errors"/>.</summary>
    public static void Check(CreateApplicationRequest request, Dictionary<string, string[]> errors)
    {
        if (request.CertificateNumber is not null)
            errors["certificateNumber"] = ["批量补办请在证书编号列表中逐本列出，不填写单个证书编号"];
        if (request.CertificateNumbers is not { Count: > 0 and <= BatchReissue.MaxLines } numbers)
        {
            errors["certificateNumbers"] = [$"请列出1至{BatchReissue.MaxLines}本要补办的证书编号"];
            return;
        }
        var problems = numbers.Select((n, i) => string.IsNullOrWhiteSpace(n) ? $"第{i + 1}个证书编号为空"
            : CertificateNumbers.Problem(n) is { } p ? $"第{i + 1}个证书编号：{p}" : null).OfType<string>().ToArray();
        if (problems.Length > 0) errors["certificateNumbers"] = problems;
    }
}

