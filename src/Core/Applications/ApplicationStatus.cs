namespace FuncRegistry.Core.Applications;

/// <summary>Where an application stands in the two-level review.</summary>
public enum ApplicationStatus
{
    /// <summary>Not created yet (never shown: such an application does not exist).</summary>
    None,
    /// <summary>草稿: editable and deletable by its applicant.</summary>
    Draft,
    /// <summary>待市州审核.</summary>
    PendingCityReview,
    /// <summary>市州退回: back with the applicant, who edits and resubmits.</summary>
    CityReturned,
    /// <summary>待省级审核.</summary>
    PendingProvinceReview,
    /// <summary>省级退回.</summary>
    ProvinceReturned,
    /// <summary>审核通过（已生效）: final.</summary>
    Approved,
    /// <summary>已撤回: final.</summary>
    Withdrawn,
    /// <summary>待对方确认: submitted, waiting for the other party (the holder or the employer) to confirm it before any review.</summary>
    PendingConfirmation,
    /// <summary>公示中: approved at the last review stop, the effect waits for the public notice to end (<see cref="PublicNoticeRules"/>).</summary>
    UnderPublicNotice,
}

/// <summary>Chinese labels and groupings of the statuses.</summary>
public static class ApplicationStatusRules
{
    /// <summary>The label shown to users.</summary>
    public static string Label(this ApplicationStatus status) => status switch
    {
        ApplicationStatus.Draft => "草稿",
        ApplicationStatus.PendingCityReview => "待市州审核",
        ApplicationStatus.CityReturned => "市州退回",
        ApplicationStatus.PendingProvinceReview => "待省级审核",
        ApplicationStatus.ProvinceReturned => "省级退回",
        ApplicationStatus.Approved => "审核通过（已生效）",
        ApplicationStatus.Withdrawn => "已撤回",
        ApplicationStatus.PendingConfirmation => "待对方确认",
        ApplicationStatus.UnderPublicNotice => "公示中",
        _ => "",
    };

    /// <summary>Submitted and not finished: holds the certificate's one open-application claim.</summary>
    public static bool IsOpen(this ApplicationStatus status) => status is ApplicationStatus.PendingConfirmation or
        ApplicationStatus.PendingCityReview or ApplicationStatus.CityReturned or
        ApplicationStatus.PendingProvinceReview or ApplicationStatus.ProvinceReturned or ApplicationStatus.UnderPublicNotice;

    /// <summary>Returned by a reviewer, with the applicant: the review clock pauses, the resubmission clock runs.</summary>
    public static bool IsReturned(this ApplicationStatus status) => status is ApplicationStatus.CityReturned or ApplicationStatus.ProvinceReturned;

    /// <summary>The applicant may edit (draft or returned).</summary>
    public static bool IsEditable(this ApplicationStatus status) => status == ApplicationStatus.Draft || status.IsReturned();

    /// <summary>Approved or withdrawn: nothing more happens.</summary>
    public static bool IsFinal(this ApplicationStatus status) => status is ApplicationStatus.Approved or ApplicationStatus.Withdrawn;

    /// <summary>The review stage a status waits in, or null.</summary>
    public static ReviewStage? Stage(this ApplicationStatus status) => status switch
    {
        ApplicationStatus.PendingCityReview => ReviewStage.City,
        ApplicationStatus.PendingProvinceReview => ReviewStage.Province,
        _ => null,
    };
}

/// <summary>The two review levels.</summary>
public enum ReviewStage
{
    /// <summary>市州审核.</summary>
    City,
    /// <summary>省级审核.</summary>
    Province,
}
