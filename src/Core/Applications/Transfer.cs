using FuncRegistry.Core.Certificates;
using FuncRegistry.Core.Enterprises;

namespace FuncRegistry.Core.Applications;

/// <summary>What the receiving enterprise gives when it files a transfer: itself (as the register knows it) and the holder's ID number.</summary>
/// <param name="Receiving">The filing enterprise's record, or null when the register does not know it.</param>
/// <param name="HolderIdNumber">The holder's ID number as the enterprise typed it: its proof that it knows the holder.</param>
public sealed record TransferFiling(Enterprise? Receiving, string? HolderIdNumber);

/// <summary>
/// The rules of a transfer (调入变更, seed 001 "接收企业所在市主管部门审核变更信息"; seed 004
/// "新单位发起"): the receiving enterprise files it for a certificate it does not employ, proving
/// it knows the holder by the holder's ID number; the holder confirms it before review; the city
/// stage is the receiving enterprise's city; on approval the certificate's employer, employer code
/// and city move, with an endorsement. Within <see cref="ApplicationDecider.MonthsBetweenEmployerChanges"/>
/// months of the last employer change it is refused, unless the enterprise claims the
/// social-insurance exception (which then needs the social-insurance proof) and the approving city
/// reviewer records which condition held.
/// </summary>
public static class TransferRules
{
    /// <summary>Who may file it and whether the filing proves it knows the holder; the change it asks for, or the refusal.</summary>
    public static (CertificateChange? Change, Refusal? Refusal) CheckFiling(Actor by, Certificate certificate, TransferFiling? filing)
    {
        if (by.Role != Role.Enterprise || by.Org is null)
            return (null, new Refusal(RefusalKind.Forbidden, "transfer_by_receiving_enterprise", "调入变更由接收单位（新单位）申请"));
        // A wrong ID number reads exactly like an unknown certificate: the form cannot be used to probe who holds what.
        if (!KnowsHolder(certificate, filing)) return (null, NotFound);
        if (by.Org == certificate.EmployerCode)
            return (null, new Refusal(RefusalKind.RuleViolated, "transfer_to_current_employer", "该证书已在本单位，无需办理调入"));
        if (filing!.Receiving is not { } receiving)
            return (null, new Refusal(RefusalKind.RuleViolated, "enterprise_not_registered", "本单位尚未在系统中登记（无单位名称和所在市州），请联系主管部门登记后再申请调入"));
        return (new CertificateChange(Employer: receiving.Name, EmployerCode: receiving.Uscc, CityCode: receiving.CityCode), null);
    }

    /// <summary>Whether the filing names the certificate's holder by their ID number (the receiving enterprise's proof it knows them).</summary>
    public static bool KnowsHolder(Certificate certificate, TransferFiling? filing) =>
        filing?.HolderIdNumber is { } holder && string.Equals(holder.Trim(), certificate.HolderIdNumber, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The one answer to a transfer whose number is unknown or whose ID number is not the holder's: the same words
    /// for both, before anything else about the certificate (an open application, its employer) is told.
    /// </summary>
    public static Refusal NotFound { get; } = new(RefusalKind.RuleViolated, "certificate_not_found", "证书编号与持证人身份证号不符或证书不存在，请核对");

    /// <summary>
    /// The 3-month rule for a transfer: refused within 3 months of the last employer change unless
    /// the social-insurance exception is claimed (the reviewer then checks the proof).
    /// </summary>
    public static Refusal? TooSoon(Certificate certificate, ApplicationDetails details, DateOnly today)
    {
        if (details.SocialInsuranceException == true) return null;
        return ApplicationDecider.EmployerChangeTooSoon(certificate, today,
            "；如原单位已连续缴纳社保3个月以上且新单位已缴纳1个月，或新单位已连续缴纳社保3个月，可选择社保例外情形（socialInsuranceException）并上传社会保险缴纳证明");
    }

    /// <summary>
    /// The city reviewer's approval of a transfer that claims the exception records which condition
    /// held; no other approval names one.
    /// </summary>
    public static Refusal? CheckCondition(ApplicationState state, ReviewStage stage, SocialInsuranceCondition? conditionMet)
    {
        var claimed = state.Kind == ApplicationKind.Transfer && state.Details.SocialInsuranceException == true;
        if (stage == ReviewStage.City && claimed && conditionMet is null)
            return Refusal.InvalidFields(new Dictionary<string, string[]>
            {
                ["conditionMet"] = ["该申请选择了社保例外情形，审核通过时须注明符合的条件：oldEmployer3MonthsPlusNew1Month（原单位3个月以上且新单位1个月）或 newEmployer3Months（新单位3个月）"],
            });
        if (conditionMet is not null && (!claimed || stage != ReviewStage.City))
            return Refusal.InvalidFields(new Dictionary<string, string[]> { ["conditionMet"] = ["只有选择了社保例外情形的调入变更，市州审核通过时才注明社保条件"] });
        return null;
    }

    /// <summary>The condition in Chinese, as the history shows it.</summary>
    public static string Label(this SocialInsuranceCondition condition) => condition switch
    {
        SocialInsuranceCondition.OldEmployer3MonthsPlusNew1Month => "原单位连续缴纳社保3个月以上且新单位已缴纳1个月",
        _ => "新单位已连续缴纳社保3个月",
    };
}
