namespace FuncRegistry.Core.Applications;

/// <summary>
/// The commitment (承诺书) an applicant accepts when submitting, versioned per kind (seeds 001/004:
/// "本人/本单位承诺所提交材料真实有效"). It is printed on the application form and its version is
/// recorded at submission. A new wording gets a new version; old versions stay here so that what an
/// applicant accepted can always be shown.
/// </summary>
public static class Commitments
{
    /// <summary>One wording of the commitment.</summary>
    public sealed record Commitment(ApplicationKind Kind, string Version, string Text);

    private const string Truthful =
        "所提交的全部材料及填报信息真实、准确、完整，如有虚假，愿承担由此产生的一切法律责任，并接受主管部门依法作出的处理。";

    private static readonly Commitment[] All =
    [
        new(ApplicationKind.Change, "2026.1", "本人承诺：" + Truthful + "变更后的信息以登记机关核准为准。"),
        new(ApplicationKind.Reissue, "2026.1", "本人承诺：原证书确已遗失或污损，补办后原证书自动作废，不再使用；" + Truthful),
        new(ApplicationKind.Cancellation, "2026.1", "本人/本单位承诺：申请注销的证书自注销之日起不再使用；" + Truthful),
        new(ApplicationKind.Extension, "2026.1", "本人承诺：已按规定完成继续教育，证书有效期内无不良行为记录；" + Truthful),
        new(ApplicationKind.Transfer, "2026.1", "本单位承诺：已与持证人建立劳动关系并依法缴纳社会保险；" + Truthful),
        new(ApplicationKind.EnterpriseChange, "2026.1", "本单位承诺：企业名称或所在地变更已经市场监督管理部门核准；" + Truthful),
        new(ApplicationKind.BatchReissue, "2026.1", "本单位承诺：所列证书确已遗失或污损，补办后原证书自动作废，不再使用；" + Truthful),
    ];

    /// <summary>The wording in force for a kind: the one applicants accept today.</summary>
    public static Commitment Current(ApplicationKind kind) =>
        All.Last(c => c.Kind == kind);

    /// <summary>A wording by kind and version, or null if there is none (an unknown or other kind's version).</summary>
    public static Commitment? Find(ApplicationKind kind, string? version) =>
        All.FirstOrDefault(c => c.Kind == kind && c.Version == version);
}
