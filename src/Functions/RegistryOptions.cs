using System.ComponentModel.DataAnnotations;
using FuncRegistry.Core.Certificates;
using FuncRegistry.Core.Province;

namespace FuncRegistry.Functions;

/// <summary>What one deployment serves. Bound from the <c>Registry</c> section; defaults are the Gansu demo.</summary>
public sealed class RegistryOptions
{
    /// <summary>Province code, e.g. 620000.</summary>
    [RegularExpression(@"^\d{2}0000$", ErrorMessage = "must be a six-digit province code ending in 0000, e.g. 620000")]
    public string ProvinceCode { get; set; } = ProvinceProfile.Gansu.Code;

    /// <summary>Province name, e.g. 甘肃省.</summary>
    [Required(ErrorMessage = "is required, e.g. 甘肃省")]
    public string ProvinceName { get; set; } = ProvinceProfile.Gansu.Name;

    /// <summary>Prefecture-level cities; empty means the Gansu list.</summary>
    public List<City> Cities { get; set; } = [];

    /// <summary>SMS signature, shown in 【】.</summary>
    [Required(ErrorMessage = "is required"), StringLength(12, MinimumLength = 2, ErrorMessage = "must be 2–12 characters (carriers register the signature)")]
    public string SmsSignature { get; set; } = "甘肃住建";

    /// <summary>Most segments one SMS may take (70 characters for one, 67 each when concatenated).</summary>
    [Range(1, 10, ErrorMessage = "must be between 1 and 10")]
    public int SmsMaxSegments { get; set; } = 2;

    /// <summary>Years an approved extension adds to valid-until.</summary>
    [Range(1, 10, ErrorMessage = "must be between 1 and 10")]
    public int ExtensionYears { get; set; } = 3;

    /// <summary>Days before valid-until from which an extension may be filed (the window opens).</summary>
    [Range(0, 366, ErrorMessage = "must be between 0 and 366 days")]
    public int ExtensionOpensDaysBefore { get; set; } = ExtensionWindow.Default.OpensDaysBefore;

    /// <summary>Days after valid-until up to which an extension may still be filed (0: up to valid-until itself).</summary>
    [Range(0, 366, ErrorMessage = "must be between 0 and 366 days")]
    public int ExtensionClosesDaysAfter { get; set; } = ExtensionWindow.Default.ClosesDaysAfter;

    /// <summary>
    /// Working days of the public notice (公示) a province approval of a change, reissue, extension or transfer goes through
    /// before it takes effect (counted on the review clock's calendar); 0 = no notice, the approval takes effect at once.
    /// See <see cref="Core.Applications.PublicNoticeRules"/>.
    /// </summary>
    [Range(0, Core.Applications.PublicNoticePolicy.MaxWorkingDays, ErrorMessage = "must be between 0 (no public notice) and 30 working days")]
    public int PublicNoticeDays { get; set; }
    /// Whether submitting an application, and changing its notification phone, needs that phone verified by an SMS code
    /// the caller confirmed within 30 minutes (seed 003). Unset: on, except in the Development environment.
    /// </summary>
    public bool? RequirePhoneVerification { get; set; }

    /// <summary>When an extension may be filed.</summary>
    public ExtensionWindow ToExtensionWindow() => new(ExtensionOpensDaysBefore, ExtensionClosesDaysAfter);

    /// <summary>
    /// How a reissued certificate's number is written: a template with <c>{applicationDigits}</c>
    /// (required), <c>{year}</c> and <c>{prefix}</c>, e.g. <c>{prefix}（{year}）{applicationDigits}</c>.
    /// See <see cref="Core.Certificates.ReissueNumberFormat"/>.
    /// </summary>
    [ValidReissueNumberFormat]
    public string ReissueNumberFormat { get; set; } = Core.Certificates.ReissueNumberFormat.DefaultTemplate;

    /// <summary>The province profile these settings describe.</summary>
    public ProvinceProfile ToProfile() => Cities.Count == 0 && ProvinceCode == ProvinceProfile.Gansu.Code
        ? ProvinceProfile.Gansu with { Name = ProvinceName }
        : new ProvinceProfile(ProvinceCode, ProvinceName, Cities);
}

/// <summary>Checks <see cref="RegistryOptions.ReissueNumberFormat"/> with the rule the app will use.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class ValidReissueNumberFormatAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        ReissueNumberFormat.TryParse(value as string, out _, out var error)
            ? ValidationResult.Success
            : new ValidationResult(error, [validationContext.MemberName!]);
}
