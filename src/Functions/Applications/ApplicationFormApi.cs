using System.Security.Claims;
using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Province;
using FuncRegistry.Functions.Auth;
using FuncRegistry.Functions.Certificates;
using FuncRegistry.Functions.Http;
using FuncRegistry.Functions.Storage;

namespace FuncRegistry.Functions.Applications;

/// <summary>The application form to print, sign and stamp (申请表): its signed scan is the <c>signedForm</c> document.</summary>
public static class ApplicationFormApi
{
    /// <summary>Maps the endpoint.</summary>
    public static void MapApplicationFormApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/applications/{id}/form.pdf", Form).WithTags("Applications").RequireActor()
            .ProducesPdf("The form, A4 portrait (a long batch runs on to more pages)")
            .WithName("GetApplicationForm").WithSummary("Download the application form to sign")
            .WithDescription("The application's form as a PDF to print, sign (签名) and stamp (盖章), pre-filled for its kind: application number and its QR code, "
                + "applicant and certificate, the change asked for (a batch's lines as a table), the commitment in force for the kind (承诺书) with its version, "
                + "signature and stamp boxes. From the draft on, for whoever may read the application (as GET /api/applications/{id}), personal data as they "
                + "may see it. Its signed scan is the signedForm document.");

    /// <summary>GET /api/applications/{id}/form.pdf.</summary>
    public static async Task<IResult> Form(string id, HttpContext http, ClaimsPrincipal user, ApplicationStore store, CertificateStore certificates,
        ProvinceProfile province, CertificateLinks links, TimeProvider clock, CancellationToken cancellationToken)
    {
        var actor = Caller.Of(user);
        var stored = await store.LoadAsync(id, cancellationToken);
        if (stored is null || stored.State.Status == ApplicationStatus.None || !AccessRules.CanView(actor, stored.State))
            return Problems.Problem(404, "application_not_found", "申请不存在");
        var state = stored.State;
        var certificate = state.Kind is ApplicationKind.EnterpriseChange or ApplicationKind.BatchReissue
            ? null : (await certificates.GetAsync(state.CertificateNumber, cancellationToken))?.Certificate;
        var form = ApplicationForms.For(state, certificate, holder => AccessRules.SeesPersonalDataOf(actor, holder, state.CityCode),
            code => province.CityOf(code)?.Name);
        var pdf = ApplicationFormPdf.Render(form, ApplicationDecider.Today(clock.GetUtcNow()), links.Authority);
        return PdfResults.Inline(http, pdf, $"{state.Id}-申请表.pdf", $"{state.Id}-form.pdf", "private, no-store");
    }
}
