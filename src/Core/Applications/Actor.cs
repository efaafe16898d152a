namespace FuncRegistry.Core.Applications;

/// <summary>The roles callers act in.</summary>
public enum Role
{
    /// <summary>持证人: subject is their resident ID number.</summary>
    Applicant,
    /// <summary>企业用户: org is the enterprise's USCC.</summary>
    Enterprise,
    /// <summary>市州审核人员: city is their 6-digit city code.</summary>
    CityReviewer,
    /// <summary>省级审核人员.</summary>
    ProvinceReviewer,
    /// <summary>管理员.</summary>
    Admin,
    /// <summary>公众: anyone, without signing in (an objection to a public notice); may see and do nothing else.</summary>
    Public,
}

/// <summary>Who performs a command, as the authenticated token says.</summary>
/// <param name="Role">The role acted in.</param>
/// <param name="Subject">Stable id: an applicant's ID number, otherwise the account id.</param>
/// <param name="Name">Display name.</param>
/// <param name="City">City code of a city reviewer.</param>
/// <param name="Org">USCC of an enterprise user.</param>
public sealed record Actor(Role Role, string Subject, string Name, string? City = null, string? Org = null)
{
    /// <summary>The system itself (timers, automatic steps).</summary>
    public static Actor System { get; } = new(Role.Admin, "system", "系统");

    /// <summary>Someone of the public, not signed in (who objected to a public notice).</summary>
    public static Actor Public { get; } = new(Role.Public, "public", "公众");
}
