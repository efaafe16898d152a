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
    /// <summary>批量补办: an enterprise reissues several of its certificates at once (<see cref="BatchReissue"/>).</summary>
    BatchReissue,
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
        ApplicationKind.BatchReissue => "批量补办",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
