using FuncRegistry.Core.Applications;

namespace FuncRegistry.Core.Enterprises;

/// <summary>
/// Who may read an enterprise's record and roster (the certificates it employs): the enterprise
/// itself, the reviewers of its city, province reviewers and admins. Whose names show unmasked on
/// it is not decided here but per line by the one rule, <see cref="AccessRules.SeesPersonalDataOf"/>.
/// </summary>
public static class RosterAccess
{
    /// <summary>True when <paramref name="actor"/> may see <paramref name="enterprise"/> and its roster.</summary>
    public static bool CanView(Actor actor, Enterprise enterprise) => actor.Role switch
    {
        Role.Enterprise => actor.Org is not null && string.Equals(actor.Org, enterprise.Uscc, StringComparison.OrdinalIgnoreCase),
        Role.CityReviewer => AccessRules.SameCity(actor.City, enterprise.CityCode),
        Role.ProvinceReviewer or Role.Admin => true,
        _ => false,
    };

    /// <summary>Only admins register or correct an enterprise record.</summary>
    public static bool CanEdit(Actor actor) => actor.Role == Role.Admin;
}
