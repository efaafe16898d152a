using FuncRegistry.Core.Identifiers;
using FuncRegistry.Core.Province;

namespace FuncRegistry.Core.Tests;

public class ResidentIdNumberTests
{
    private static readonly DateOnly Today = TestData.Today;

    /// <summary>A number whose check character is right, so only the part under test can fail.</summary>
    private static string WithCheckCharacter(string body17) => body17 + ResidentIdNumber.CheckCharacterFor(body17);

    [Theory]
    [InlineData("11010519491231002X")]
    [InlineData("440524188001010014")]
    [InlineData("810000199001011230")] // residence permits of Hong Kong, Macao and Taiwan residents (GB 11643 numbers, codes 81/82/83)
    [InlineData("830000199001011234")]
    public void Valid_numbers_are_accepted(string text)
    {
        Assert.True(ResidentIdNumber.TryParse(text, Today, out var number));
        Assert.Equal(text, number!.Value);
    }

    [Fact]
    public void Lowercase_x_is_accepted_and_normalised_to_upper_case()
    {
        Assert.True(ResidentIdNumber.TryParse("11010519491231002x", Today, out var number));
        Assert.Equal("11010519491231002X", number!.Value);
    }

    [Theory]
    [InlineData("110105194912310021")]
    [InlineData("440524188001010015")]
    [InlineData("44052418800101001X")]
    public void Wrong_check_character_is_refused(string text) =>
        Assert.False(ResidentIdNumber.TryParse(text, Today, out _));

    [Fact]
    public void Birth_date_that_does_not_exist_is_refused() =>
        Assert.False(ResidentIdNumber.TryParse(WithCheckCharacter("11010519490231002"), Today, out _));

    [Fact]
    public void Birth_date_after_today_is_refused()
    {
        var bornTomorrow = WithCheckCharacter("11010520261124002");
        Assert.False(ResidentIdNumber.TryParse(bornTomorrow, new DateOnly(2026, 11, 23), out _));
        Assert.True(ResidentIdNumber.TryParse(bornTomorrow, new DateOnly(2026, 11, 24), out _));
    }

    [Fact]
    public void Unknown_province_prefix_is_refused() =>
        Assert.False(ResidentIdNumber.TryParse(WithCheckCharacter("99010519491231002"), Today, out _));

    [Fact]
    public void Retired_district_code_within_a_known_province_is_accepted() =>
        Assert.True(ResidentIdNumber.TryParse(WithCheckCharacter("62999919900101001"), Today, out _));

    [Theory]
    [InlineData("")]
    [InlineData("11010519491231002")]
    [InlineData("11010519491231002X0")]
    [InlineData("1101051949123100X2")]
    public void Wrong_length_or_characters_are_refused(string text) =>
        Assert.False(ResidentIdNumber.TryParse(text, Today, out _));

    [Fact]
    public void Null_is_refused() => Assert.False(ResidentIdNumber.TryParse(null, Today, out _));
}

public class CreditCodeTests
{
    [Theory]
    [InlineData("914403001922038216")]
    [InlineData("91350100M000100Y43")]
    public void Valid_codes_parse_with_a_matching_check_character(string text)
    {
        Assert.True(CreditCode.TryParse(text, out var code));
        Assert.Equal(text, code!.Value);
        Assert.True(code.CheckCharacterMatches);
    }

    [Fact]
    public void Lowercase_letters_are_normalised_to_upper_case()
    {
        Assert.True(CreditCode.TryParse("91350100m000100y43", out var code));
        Assert.Equal("91350100M000100Y43", code!.Value);
        Assert.True(code.CheckCharacterMatches);
    }

    [Theory]
    [InlineData("914403001922038217")]
    [InlineData("91350100M000100Y44")]
    public void Wrong_check_character_parses_with_a_warning_not_a_refusal(string text)
    {
        Assert.True(CreditCode.TryParse(text, out var code));
        Assert.False(code!.CheckCharacterMatches);
    }

    [Theory]
    [InlineData('I')]
    [InlineData('O')]
    [InlineData('Z')]
    [InlineData('S')]
    [InlineData('V')]
    public void Letters_outside_the_GB32100_alphabet_are_refused(char letter) =>
        Assert.False(CreditCode.TryParse("91350100" + letter + "000100Y43", out _));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("91440300192203821")]
    [InlineData("9144030019220382160")]
    public void Missing_or_wrong_length_is_refused(string? text) => Assert.False(CreditCode.TryParse(text, out _));
}

public class MobileNumberTests
{
    [Theory]
    [InlineData("13812345678")]
    [InlineData("+8613812345678")]
    public void Mainland_numbers_with_or_without_plus86_are_accepted(string text)
    {
        Assert.True(MobileNumber.TryParse(text, out var number));
        Assert.Equal("13812345678", number!.Value);
        Assert.Equal("+8613812345678", number.E164);
    }

    [Theory]
    [InlineData("19912345678")]
    [InlineData("15012345678")]
    public void Every_second_digit_from_3_to_9_is_accepted(string text) => Assert.True(MobileNumber.TryParse(text, out _));

    [Theory]
    [InlineData("12812345678")]
    [InlineData("10812345678")]
    [InlineData("23812345678")]
    [InlineData("1381234567")]
    [InlineData("138123456789")]
    [InlineData("1381234567a")]
    [InlineData("+861381234567")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_else_is_refused(string? text) => Assert.False(MobileNumber.TryParse(text, out _));
}

public class MaskingTests
{
    [Fact]
    public void Id_number_shows_the_first_four_and_last_four_characters() =>
        Assert.Equal("6201**********1234", Masking.IdNumber("620102199001011234"));

    [Fact]
    public void Phone_shows_the_first_three_and_last_four_digits() =>
        Assert.Equal("138****5678", Masking.Phone("13812345678"));

    [Theory]
    [InlineData("张三", "张*")]
    [InlineData("欧阳娜娜", "欧***")]
    [InlineData("李", "李*")]
    public void Name_shows_only_the_first_character(string name, string masked) => Assert.Equal(masked, Masking.Name(name));

    [Fact]
    public void Short_or_missing_values_reveal_nothing()
    {
        Assert.Equal("******", Masking.IdNumber("123456"));
        Assert.Equal("*****", Masking.Phone("12345"));
        Assert.Equal("", Masking.IdNumber(null));
        Assert.Equal("", Masking.Phone(""));
    }
}

public class ProvinceProfileTests
{
    [Theory]
    [InlineData("620100", "620100")]
    [InlineData("620102", "620100")]
    [InlineData("622901", "622900")]
    [InlineData("623000", "623000")]
    public void Division_code_belongs_to_the_city_of_its_first_four_digits(string code, string city) =>
        Assert.Equal(city, ProvinceProfile.Gansu.CityOf(code)?.Code);

    [Theory]
    [InlineData("610100")]
    [InlineData("629900")]
    [InlineData("62010")]
    [InlineData("62010A")]
    [InlineData(null)]
    public void Codes_of_other_provinces_unknown_cities_or_malformed_belong_to_no_city(string? code) =>
        Assert.Null(ProvinceProfile.Gansu.CityOf(code));

    [Fact]
    public void Gansu_has_its_fourteen_cities() => Assert.Equal(14, ProvinceProfile.Gansu.Cities.Count);
}
