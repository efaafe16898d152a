using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Identifiers;
using FuncRegistry.Functions.Http;

namespace FuncRegistry.Functions.Applications;

/// <summary>The request checks of an enterprise change (<c>enterpriseChange</c>) that come before the enterprise is read.</summary>
public static class EnterpriseChangeRequests
{
    /// <summary>Adds the problems of the request's own fields: an enterprise code, no certificate fields.</summary>
    public static void Check(CreateApplicationRequest request, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(request.EnterpriseCode)) errors["enterpriseCode"] = ["请填写本企业的统一社会信用代码"];
        else if (!CreditCode.TryParse(request.EnterpriseCode, out _)) errors["enterpriseCode"] = ["统一社会信用代码格式不正确，应为18位"];
        if (request.CertificateNumber is not null || request.Changes is not null || request.ReissueReason is not null)
            errors["certificateNumber"] = ["企业信息变更申请针对企业本身，不填写证书编号、变更内容或补办原因"];
    }

    /// <summary>The enterprise's USCC as the register keys it.</summary>
    public static string Uscc(CreateApplicationRequest request) =>
        CreditCode.TryParse(request.EnterpriseCode, out var code) ? code!.Value : request.EnterpriseCode!.Trim();

    /// <summary>403 unless the caller is the enterprise itself (its token's org).</summary>
    public static IResult? NotTheEnterprise(CreateApplicationRequest request, Actor actor) =>
        actor.Role == Role.Enterprise && actor.Org is not null && actor.Org == Uscc(request)
            ? null
            : Problems.Problem(403, "not_the_enterprise", "企业信息变更只能由企业本身提出");
}
