using System.Text;
using FuncRegistry.Core.Certificates;
using Xunit;

namespace FuncRegistry.Core.Tests;

public class CheckCodesTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("a-verification-key-of-at-least-32-characters");
    private static readonly byte[] OtherKey = Encoding.UTF8.GetBytes("another-verification-key-of-32-characters!");

    [Fact]
    public void A_code_is_ten_unambiguous_characters_fixed_for_a_number_and_its_key()
    {
        var code = CheckCodes.Compute(Key, "甘建安C（2019）0012345");
        Assert.Equal(10, code.Length);
        Assert.All(code, c => Assert.Contains(c, CheckCodes.Alphabet));
        Assert.DoesNotContain(code, c => c is 'I' or 'L' or 'O' or 'U');
        Assert.Equal(code, CheckCodes.Compute(Key, "甘建安C（2019）0012345"));
        Assert.Equal("7K3M9-QX2PA", CheckCodes.Display("7K3M9QX2PA"));
    }

    [Fact]
    public void Every_spelling_of_a_number_has_its_code_and_another_number_or_key_another()
    {
        var code = CheckCodes.Compute(Key, "甘建安C（2019）0012345");
        Assert.Equal(code, CheckCodes.Compute(Key, "甘建安c(2019)0012345 "));
        Assert.NotEqual(code, CheckCodes.Compute(Key, "甘建安C（2019）0012346"));
        Assert.NotEqual(code, CheckCodes.Compute(OtherKey, "甘建安C（2019）0012345"));
    }

    [Fact]
    public void A_code_read_off_paper_matches_whatever_its_case_hyphen_or_look_alike_letters()
    {
        const string number = "甘建安A(2017)0012346";
        var code = CheckCodes.Compute(Key, number);
        var typed = CheckCodes.Display(code).ToLowerInvariant().Replace('0', 'o').Replace('1', 'l');
        Assert.True(CheckCodes.Matches(Key, number, typed));
        Assert.True(CheckCodes.Matches(Key, number, " " + code + " "));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("7K3M9QX2PAB")]
    [InlineData("7K3M9QX2P!")]
    [InlineData("7K3M9QX2PU")]
    public void What_cannot_be_a_code_matches_nothing(string? typed)
    {
        Assert.Null(CheckCodes.Normalise(typed));
        Assert.False(CheckCodes.Matches(Key, "甘建安C（2019）0012345", typed));
    }

    [Fact]
    public void One_wrong_character_does_not_match()
    {
        const string number = "甘建安C（2019）0012345";
        var code = CheckCodes.Compute(Key, number);
        var wrong = code[..^1] + (code[^1] == 'Z' ? 'Y' : 'Z');
        Assert.False(CheckCodes.Matches(Key, number, wrong));
        Assert.False(CheckCodes.Matches(OtherKey, number, code));
    }

    [Fact]
    public void After_a_rotation_a_code_matches_under_the_current_key_or_a_previous_one_and_no_longer_once_that_key_is_dropped()
    {
        const string number = "甘建安C（2024）0012345";
        var printedBefore = CheckCodes.Compute(Key, number);
        var printedAfter = CheckCodes.Compute(OtherKey, number);

        Assert.True(CheckCodes.Matches([OtherKey, Key], number, printedBefore));
        Assert.True(CheckCodes.Matches([OtherKey, Key], number, CheckCodes.Display(printedAfter).ToLowerInvariant()));
        Assert.False(CheckCodes.Matches([OtherKey, Key], number, printedBefore[..^1] + (printedBefore[^1] == 'Z' ? 'Y' : 'Z')));
        Assert.False(CheckCodes.Matches([OtherKey, Key], number, null));
        Assert.False(CheckCodes.Matches([OtherKey], number, printedBefore));
    }
}
