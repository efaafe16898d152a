using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Certificates;
using static FuncRegistry.Core.Tests.TestData;

namespace FuncRegistry.Core.Tests;

public class CertificateNumberTests
{
    [Theory]
    [InlineData("甘建安C（2019）0012345")]
    [InlineData("豫建安B(2018)0001234")]
    [InlineData("鲁建安C2017000123")]
    [InlineData("GS6201202500001")]
    [InlineData("湘建安A·2020-0001")]
    [InlineData("ＧＳ６２０１２０２５００００１")] // full-width letters and digits as some registers export them
    [InlineData("𠀾建安C（2019）0012345")]       // a character outside the basic plane is one character
    public void Numbers_as_registers_write_them_are_accepted(string number) =>
        Assert.Null(CertificateNumbers.Problem(number));

    [Theory]
    [InlineData("甘建安C（2019）0012345", "甘建安C(2019)0012345")]
    [InlineData("甘建安c(2019)0012345", "甘建安C(2019)0012345")]
    [InlineData("ＧＳ６２０１－２０２５", "GS6201-2025")]
    [InlineData(" 鲁建安C2017000123　", "鲁建安C2017000123")] // surrounding half- and full-width spaces
    public void The_key_folds_widths_as_NFKC_does_and_upper_cases_letters(string written, string key) =>
        Assert.Equal(key, CertificateNumbers.Key(written));

    [Theory]
    [InlineData("甘建安C（2019）0012345", "甘建安C(2019)0012345")]
    [InlineData("甘建安c(2019)0012345", "甘建安C（2019）0012345")]
    [InlineData("ＧＳ6201202500001", "gs6201202500001")]
    public void Half_and_full_width_spellings_and_letter_case_are_one_number(string a, string b) =>
        Assert.True(CertificateNumbers.Same(a, b));

    [Fact]
    public void Different_numbers_stay_different() =>
        Assert.False(CertificateNumbers.Same("甘建安C（2019）0012345", "甘建安B（2019）0012345"));

    [Theory]
    [InlineData("甘建安C（2019）0012345")]
    [InlineData("甘建安ｃ·（２０１９）ß")]
    [InlineData("ＧＳ６２０１－２０２５")]
    public void The_key_is_its_own_key(string written)
    {
        var key = CertificateNumbers.Key(written);
        Assert.Equal(key, CertificateNumbers.Key(key));
    }

    [Theory]
    [InlineData("", "证书编号不能为空")]
    [InlineData("   ", "证书编号不能为空")]
    [InlineData("甘建安C 2019 0012345", "证书编号中间不能有空格")]
    [InlineData("甘建安C\u30002019", "证书编号中间不能有空格")]
    [InlineData("甘建安C\t2019", "证书编号含有控制字符或不可见字符")]
    [InlineData("甘建安C\u200B2019", "证书编号含有控制字符或不可见字符")]
    [InlineData("甘建安C/2019", "证书编号不能含有“/”（/ \\ # ? 不能用于证书编号）")]
    [InlineData("甘建安C＼2019", "证书编号不能含有“\\”（/ \\ # ? 不能用于证书编号）")] // full-width backslash is refused as the half-width one
    [InlineData("甘建安C#2019", "证书编号不能含有“#”（/ \\ # ? 不能用于证书编号）")]
    [InlineData("甘建安C？2019", "证书编号不能含有“?”（/ \\ # ? 不能用于证书编号）")]
    [InlineData("甘建安C'2019", "证书编号含有不允许的字符“'”（只能由文字、数字、-、括号和·组成）")]
    [InlineData("甘建安C%2019", "证书编号含有不允许的字符“%”（只能由文字、数字、-、括号和·组成）")]
    public void What_cannot_be_a_number_is_refused_with_the_reason(string number, string reason) =>
        Assert.Equal(reason, CertificateNumbers.Problem(number));

    [Fact]
    public void A_lone_surrogate_is_refused() =>
        Assert.Equal("证书编号含有无效字符", CertificateNumbers.Problem("甘建安\ud800C"));

    [Fact]
    public void Up_to_64_characters_are_accepted_counting_characters_not_bytes()
    {
        Assert.Null(CertificateNumbers.Problem(new string('甘', 64)));
        Assert.Null(CertificateNumbers.Problem(string.Concat(Enumerable.Repeat("𠀾", 64)))); // 128 UTF-16 units, 64 characters
        Assert.Equal("证书编号过长（最多64个字符，实际65个）", CertificateNumbers.Problem(new string('甘', 65)));
    }

    [Theory]
    [InlineData("甘建安C（2019）0012345", "甘建安C")]
    [InlineData("豫建安B(2018)0001234", "豫建安B")]
    [InlineData("GS6201202500001", "GS")]
    [InlineData("2019-0012345", "")]
    public void The_leading_letters_are_the_register_s_prefix(string number, string prefix) =>
        Assert.Equal(prefix, CertificateNumbers.LeadingLetters(number, 16));
}

public class ReissueNumberFormatTests
{
    [Fact]
    public void The_default_is_BF_and_the_application_s_digits() =>
        Assert.Equal("BF20261123000042", ReissueNumberFormat.Default.NumberFor(ApplicationNumber, "甘建安C（2019）0012345"));

    [Theory]
    [InlineData("{prefix}（{year}）{applicationDigits}", "甘建安C（2026）20261123000042")]
    [InlineData("{prefix}BF{applicationDigits}", "甘建安CBF20261123000042")]
    [InlineData("甘补·{applicationDigits}", "甘补·20261123000042")]
    public void A_province_keeps_its_style(string template, string expected)
    {
        Assert.True(ReissueNumberFormat.TryParse(template, out var format, out var error), error);
        var number = format!.NumberFor(ApplicationNumber, "甘建安C（2019）0012345");
        Assert.Equal(expected, number);
        Assert.Null(CertificateNumbers.Problem(number));
    }

    [Theory]
    [InlineData("", "is required")]
    [InlineData("BF", "must contain {applicationDigits} exactly once")]
    [InlineData("{applicationDigits}{applicationDigits}", "must contain {applicationDigits} exactly once")]
    [InlineData("BF{digits}", "unknown placeholder {digits}")]
    [InlineData("BF{applicationDigits", "without its '}'")]
    [InlineData("BF}{applicationDigits}", "without its '{'")]
    [InlineData("BF/{applicationDigits}", "does not give a valid certificate number")]
    [InlineData("BF {applicationDigits}", "does not give a valid certificate number")]
    [InlineData(" BF{applicationDigits}", "must not start or end with whitespace")]
    public void A_template_that_cannot_give_a_number_is_refused(string template, string expected)
    {
        Assert.False(ReissueNumberFormat.TryParse(template, out _, out var error));
        Assert.Contains(expected, error);
    }

    [Fact]
    public void A_template_whose_longest_number_exceeds_64_characters_is_refused()
    {
        Assert.False(ReissueNumberFormat.TryParse(new string('补', 40) + "{prefix}{applicationDigits}", out _, out var error));
        Assert.Contains("证书编号过长", error);
    }

    [Fact]
    public void The_approval_of_a_reissue_carries_the_number_the_configured_format_gives()
    {
        var settings = Settings with { ReissueNumberFormat = ReissueNumberFormat.Parse("{prefix}（{year}）{applicationDigits}") };
        var effects = ApplicationReactions.ForTransition(History.StateAfter(History.LeadingTo(ApplicationStatus.PendingProvinceReview, ApplicationKind.Reissue)),
            [History.ProvinceApproved()], settings);
        var apply = Assert.Single(effects.OfType<SideEffect.ApplyToCertificate>());
        Assert.Equal("甘建安C（2026）20261123000042", apply.NewCertificateNumber);
        var sms = Assert.Single(effects.OfType<SideEffect.SendSms>());
        Assert.Contains("新证书编号甘建安C（2026）20261123000042，原证书作废", sms.Message.Text);
    }
}
