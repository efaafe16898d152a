using FuncRegistry.Core.Certificates;
using FuncRegistry.Core.Enterprises;
using FuncRegistry.Core.Province;

namespace FuncRegistry.Core.Applications;

/// <summary>
/// What an enterprise information change (企业信息变更) asks for: the enterprise as it was when
/// filed and what changes — its name, its city, or both. Recorded on the
/// <see cref="ApplicationEvent.Created"/> event; not editable (a different change is a new application).
/// </summary>
/// <param name="Uscc">The enterprise's USCC (normalised).</param>
/// <param name="Name">Its name when filed.</param>
/// <param name="CityCode">Its city when filed: the first city stop of the review.</param>
/// <param name="NewName">The new name, or null when the name stays.</param>
/// <param name="NewCityCode">The city it moves to, or null when it stays.</param>
public sealed record EnterpriseChange(string Uscc, string Name, string CityCode, string? NewName, string? NewCityCode)
{
    /// <summary>The name changes (every valid certificate gets the new name and an endorsement).</summary>
    public bool Renames => NewName is not null;

    /// <summary>The enterprise moves to another city (every valid certificate's city follows, without endorsement).</summary>
    public bool Moves => NewCityCode is not null;

    /// <summary>The endorsement a renamed certificate gets.</summary>
    public string EndorsementText => $"企业名称由“{Name}”变更为“{NewName}”";
}

/// <summary>
/// The rules of an enterprise information change (seed 001: "变更完成后企业下所有证书显示新企业名称";
/// "调出市…初次审核，然后到调入地市…二次审核"). One open change per enterprise is storage's rule (a claim
/// row of the enterprise, taken at submission); everything else is here.
/// </summary>
public static class EnterpriseChangeRules
{
    /// <summary>Longest enterprise name.</summary>
    public const int MaxNameLength = 100;

    /// <summary>
    /// Checks what an enterprise asks to change against what it is now; every problem at once.
    /// Returns the change (normalised) or the field errors.
    /// </summary>
    public static (EnterpriseChange? Change, Dictionary<string, string[]> Errors) Validate(
        Enterprise current, string? newName, string? newCityCode, ProvinceProfile province)
    {
        var errors = new Dictionary<string, string[]>();
        var name = string.IsNullOrWhiteSpace(newName) ? null : newName.Trim();
        var city = string.IsNullOrWhiteSpace(newCityCode) ? null : newCityCode.Trim();
        if (name is null && city is null)
            errors["newName"] = ["请填写新的企业名称或迁入的市州，至少一项"];
        if (name is not null)
        {
            if (name.Length > MaxNameLength || name.Any(char.IsControl)) errors["newName"] = [$"企业名称格式不正确（不超过{MaxNameLength}字）"];
            else if (name == current.Name) errors["newName"] = ["新企业名称与当前名称相同"];
        }
        if (city is not null)
        {
            if (province.Cities.All(c => c.Code != city))
                errors["newCityCode"] = [$"市州代码{city}不是{province.Name}的市州，可选：{string.Join("、", province.Cities.Select(c => $"{c.Code}（{c.Name}）"))}"];
            else if (city == current.CityCode) errors["newCityCode"] = ["迁入市州与企业当前所在市州相同"];
        }
        return errors.Count > 0 ? (null, errors) : (new EnterpriseChange(current.Uscc, current.Name, current.CityCode, name, city), errors);
    }

    /// <summary>
    /// The review route the change gives (ADR 0016; settings do not apply to this kind): a rename is
    /// reviewed by the enterprise's city, then the province; a move by the old city, then the new
    /// city, with no province stage; both by the old city, the new city, then the province.
    /// </summary>
    public static IReadOnlyList<ReviewStop> Route(EnterpriseChange change)
    {
        var stops = new List<ReviewStop> { new(ReviewStage.City, change.CityCode) };
        if (change.Moves) stops.Add(new ReviewStop(ReviewStage.City, change.NewCityCode));
        if (change.Renames) stops.Add(new ReviewStop(ReviewStage.Province));
        return stops;
    }

    /// <summary>Files the draft: only the enterprise itself, for a change <see cref="Validate"/> accepts.</summary>
    internal static Decision Create(ApplicationCommand.CreateEnterpriseChange c, ApplicationState state, ActorRef by)
    {
        if (state.Status != ApplicationStatus.None)
            return Decision.Refuse(RefusalKind.Conflict, "application_exists", "申请已存在");
        if (c.By.Role != Role.Enterprise || c.By.Org is null || c.By.Org != c.Enterprise.Uscc)
            return Decision.Refuse(RefusalKind.Forbidden, "not_the_enterprise", "企业信息变更只能由企业本身提出");
        var (change, errors) = Validate(c.Enterprise, c.NewName, c.NewCityCode, c.Province);
        var (details, detailErrors) = ApplicationDetailsRules.Validate(ApplicationKind.EnterpriseChange, c.Details, Subject(c.Enterprise), ApplicationDecider.Today(c.At));
        foreach (var (field, messages) in detailErrors) errors[field] = messages;
        if (errors.Count > 0) return Refusal.InvalidFields(errors);
        return Decision.Accept(new ApplicationEvent.Created(
            c.ApplicationId, ApplicationKind.EnterpriseChange, CertificateNumber: "", c.Enterprise.CityCode, HolderIdNumber: "", HolderName: "",
            c.Enterprise.Uscc, DateOnly.MaxValue, details, by, c.At, change));
    }

    /// <summary>
    /// The enterprise as the subject the shared commands (edit, submit) check the filer against, in
    /// the shape of a certificate: no number, no holder, employed by the enterprise, valid for ever.
    /// An enterprise change concerns no certificate; the certificate rules (valid, not expired,
    /// employer changes 3 months apart) therefore pass for it by construction.
    /// </summary>
    public static Certificate Subject(Enterprise enterprise) => new()
    {
        Number = "", HolderName = "", HolderIdNumber = "", Post = "", Employer = enterprise.Name, EmployerCode = enterprise.Uscc,
        CityCode = enterprise.CityCode, IssuedOn = DateOnly.MinValue, ValidUntil = DateOnly.MaxValue,
    };

    /// <summary>The subject of an application already filed (see <see cref="Subject(Enterprise)"/>).</summary>
    public static Certificate Subject(ApplicationState state) =>
        Subject(new Enterprise(state.EmployerCode, state.Enterprise?.Name ?? "", state.CityCode));

    /// <summary>
    /// What an approved change does to one certificate of the enterprise, or null when nothing
    /// (not valid as recorded, no longer employed by it, or already done). A rename writes the new
    /// name and one endorsement keyed by the application (a re-run finds it and skips); a move
    /// writes the new city (a re-run finds it written). Neither depends on the clock but the approval day.
    /// </summary>
    public static Certificate? Apply(Certificate current, SideEffect.ApplyToEnterprise effect)
    {
        if (current.Status != CertificateStatus.Valid || current.EmployerCode != effect.Uscc) return null;
        var updated = current;
        if (effect.NewName is { } name && current.Endorsements.All(e => e.ApplicationId != effect.ApplicationId))
            updated = updated with
            {
                Employer = name,
                Endorsements = [.. current.Endorsements, new Endorsement(effect.ApplicationId, effect.ApprovedOn, $"企业名称由“{effect.OldName}”变更为“{name}”")],
            };
        if (effect.NewCityCode is { } city && current.CityCode != city) updated = updated with { CityCode = city };
        return ReferenceEquals(updated, current) ? null : updated;
    }

    /// <summary>The side effects of an enterprise change's event: those of the shared reactions, with its own for the approval and the claim.</summary>
    internal static IReadOnlyList<SideEffect> Adapt(IReadOnlyList<SideEffect> effects, ApplicationEvent e, ApplicationState after) =>
        effects.SelectMany<SideEffect, SideEffect>(effect => effect switch
        {
            SideEffect.ApplyToCertificate when after.Enterprise is { } change =>
                [new SideEffect.ApplyToEnterprise(after.Id, change.Uscc, change.Name, change.NewName, change.NewCityCode, ApplicationDecider.Today(e.At))],
            SideEffect.ReleaseCertificateClaim => [new SideEffect.ReleaseEnterpriseClaim(after.Id, after.EmployerCode)],
            _ => [effect],
        }).ToList();
}
