namespace FuncRegistry.Core.Certificates;

/// <summary>The posts (岗位) of on-site professionals and which of them carry a specialty.</summary>
public static class Posts
{
    /// <summary>All posts.</summary>
    public static readonly IReadOnlyList<string> All = ["施工员", "质量员", "安全员", "标准员", "材料员", "机械员", "劳务员", "资料员"];

    /// <summary>Specialties of 施工员 and 质量员.</summary>
    public static readonly IReadOnlyList<string> Specialties = ["土建施工", "装饰装修", "设备安装", "市政工程"];

    /// <summary>True for the posts that carry a specialty.</summary>
    public static bool HasSpecialty(string post) => post is "施工员" or "质量员";

    /// <summary>
    /// Splits "施工员(土建施工)" / "施工员（土建施工）" / "施工员" into post and specialty, or null when invalid.
    /// </summary>
    public static (string Post, string? Specialty)? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var t = text.Trim().Replace('（', '(').Replace('）', ')');
        var open = t.IndexOf('(');
        var post = open < 0 ? t : t[..open];
        string? specialty = open < 0 ? null : t[(open + 1)..].TrimEnd(')');
        if (!All.Contains(post)) return null;
        if (HasSpecialty(post) != (specialty is not null)) return null;
        if (specialty is not null && !Specialties.Contains(specialty)) return null;
        return (post, specialty);
    }

    /// <summary>The display form: 施工员(土建施工) or 安全员.</summary>
    public static string Format(string post, string? specialty) => specialty is null ? post : $"{post}({specialty})";
}
