using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Enterprises;

namespace FuncRegistry.Core.Tests;

/// <summary>What a roster's free-text search finds, and who may see a roster.</summary>
public sealed class RosterSearchTests
{
    private const string Number = "甘建安C（2025）0100001";

    [Theory]
    [InlineData("甘建安C（2025）0100001")]
    [InlineData("甘建安c(2025)0100001")]
    [InlineData("0100001")]
    [InlineData("（2025）01")]
    [InlineData(" 甘建安C ")]
    public void A_number_is_found_in_any_spelling_and_in_part(string query) =>
        Assert.True(RosterSearch.Matches(Number, "王磊", query, namesVisible: false));

    [Fact]
    public void Who_sees_names_finds_by_part_of_a_name_who_sees_them_masked_only_by_the_whole_name()
    {
        Assert.True(RosterSearch.Matches(Number, "王磊", "磊", namesVisible: true));
        Assert.False(RosterSearch.Matches(Number, "王磊", "磊", namesVisible: false));
        Assert.True(RosterSearch.Matches(Number, "王磊", "王磊", namesVisible: false));
        Assert.False(RosterSearch.Matches(Number, "王磊", "李娜", namesVisible: true));
        Assert.False(RosterSearch.Matches(Number, "王磊", "0100002", namesVisible: true));
    }

    [Fact]
    public void The_enterprise_its_citys_reviewers_the_province_and_admins_see_a_roster_nobody_else()
    {
        var enterprise = new Enterprise("91620100TH2HUCCP5Y", "兰州远安建筑安装有限公司", "620100");
        Assert.True(AccessRules.CanViewEnterprise(new Actor(Role.Enterprise, "ent-1", "经办人", Org: "91620100th2huccp5y"), enterprise));
        Assert.False(AccessRules.CanViewEnterprise(new Actor(Role.Enterprise, "ent-2", "经办人", Org: "91620200WDCP1HGTL3"), enterprise));
        Assert.True(AccessRules.CanViewEnterprise(new Actor(Role.CityReviewer, "lz", "审核员", City: "620102"), enterprise));
        Assert.False(AccessRules.CanViewEnterprise(new Actor(Role.CityReviewer, "jyg", "审核员", City: "620200"), enterprise));
        Assert.True(AccessRules.CanViewEnterprise(new Actor(Role.ProvinceReviewer, "gs", "省厅审核员"), enterprise));
        Assert.True(AccessRules.CanViewEnterprise(new Actor(Role.Admin, "admin", "管理员"), enterprise));
        Assert.False(AccessRules.CanViewEnterprise(new Actor(Role.Applicant, "620101198001157469", "王磊"), enterprise));
        Assert.False(AccessRules.CanEditEnterprise(new Actor(Role.ProvinceReviewer, "gs", "省厅审核员")));
        Assert.True(AccessRules.CanEditEnterprise(new Actor(Role.Admin, "admin", "管理员")));
    }
}
