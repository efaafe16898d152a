namespace FuncRegistry.Core.Province;

/// <summary>Division codes (GB/T 2260): the first four digits name the prefecture-level city.</summary>
public static class DivisionCodes
{
    /// <summary>The city code (first four digits + 00) of a six-digit division code, or null when malformed.</summary>
    public static string? CityOf(string? divisionCode) =>
        divisionCode is { Length: 6 } && divisionCode.All(char.IsAsciiDigit) ? divisionCode[..4] + "00" : null;
}

/// <summary>A prefecture-level city (市州) of the province.</summary>
/// <param name="Code">Six-digit division code, e.g. 620100.</param>
/// <param name="Name">Chinese name, e.g. 兰州市.</param>
public sealed record City(string Code, string Name);

/// <summary>
/// The one province a deployment serves: its code, name and cities. City codes (GB/T 2260)
/// name their city by the first four digits, so a county code such as 620102 belongs to 620100.
/// </summary>
public sealed record ProvinceProfile(string Code, string Name, IReadOnlyList<City> Cities)
{
    /// <summary>Gansu (甘肃省), the demo province, with its 14 prefecture-level cities.</summary>
    public static ProvinceProfile Gansu { get; } = new("620000", "甘肃省",
    [
        new("620100", "兰州市"), new("620200", "嘉峪关市"), new("620300", "金昌市"), new("620400", "白银市"),
        new("620500", "天水市"), new("620600", "武威市"), new("620700", "张掖市"), new("620800", "平凉市"),
        new("620900", "酒泉市"), new("621000", "庆阳市"), new("621100", "定西市"), new("621200", "陇南市"),
        new("622900", "临夏回族自治州"), new("623000", "甘南藏族自治州"),
    ]);

    /// <summary>
    /// The city a 6-digit division code of this province belongs to, or null when the code is
    /// malformed, of another province, or names no configured city.
    /// </summary>
    public City? CityOf(string? divisionCode)
    {
        var cityCode = DivisionCodes.CityOf(divisionCode);
        if (cityCode is null || !cityCode.StartsWith(Code[..2], StringComparison.Ordinal)) return null;
        return Cities.FirstOrDefault(c => c.Code == cityCode);
    }
}
