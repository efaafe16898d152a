namespace FuncRegistry.Core.Applications;

/// <summary>What an application asks for.</summary>
public enum ApplicationKind
{
    /// <summary>证书信息变更: one of name, ID number or employer.</summary>
    Change,
    /// <summary>遗失/污损补办: a new certificate number; the old one is voided.</summary>
    Reissue,
    /// <summary>注销.</summary>
    Cancellation,
    /// <summary>延期: valid-until moves forward by the configured period.</summary>
    Extension,
    /// <summary>调入变更: the receiving enterprise files the move of a certificate to itself; the holder confirms (seeds 001, 004).</summary>
    Transfer,
    /// <summary>企业信息变更: an enterprise's name or city; every valid certificate it employs follows.</summary>
    EnterpriseChange,
    /// <summary>批量补办: an enterprise reissues several of its certificates at once (<see cref="BatchReissue"/>).</summary>
    BatchReissue,
}

/// <summary>Which condition of the social-insurance exception to the 3-month rule the city reviewer found met (seed 001).</summary>
public enum SocialInsuranceCondition
{
    /// <summary>原单位连续缴纳社保3个月以上且新单位已缴纳1个月.</summary>
    OldEmployer3MonthsPlusNew1Month,
    /// <summary>新单位已连续缴纳社保3个月.</summary>
    NewEmployer3Months,
}

/// <summary>Why a certificate is reissued.</summary>
public enum ReissueReason
{
    /// <summary>遗失.</summary>
    Lost,
    /// <summary>污损.</summary>
    Damaged,
}

/// <summary>Chinese labels of the kinds.</summary>
public static class ApplicationKindLabels
{
    /// <summary>The label shown to users, e.g. 证书信息变更.</summary>
    public static string Label(this ApplicationKind kind) => kind switch
    {
        ApplicationKind.Change => "证书信息变更",
        ApplicationKind.Reissue => "遗失/污损补办",
        ApplicationKind.Cancellation => "注销",
        ApplicationKind.Extension => "延期",
        ApplicationKind.Transfer => "调入变更",
        ApplicationKind.EnterpriseChange => "企业信息变更",
        ApplicationKind.BatchReissue => "批量补办",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
