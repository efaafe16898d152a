using System.Security.Claims;
using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Certificates;
using FuncRegistry.Core.Identifiers;
using FuncRegistry.Functions.Auth;
using FuncRegistry.Functions.Http;
using FuncRegistry.Functions.Security;
using FuncRegistry.Functions.Storage;
using Microsoft.Net.Http.Headers;

namespace FuncRegistry.Functions.Certificates;

/// <summary>
/// What public verification tells anyone who has a certificate's number and check code: the holder's
/// name masked, the post, the status as of today (Beijing time) and, for a voided certificate, its
/// replacement.
/// </summary>
public sealed record CertificateVerification(string Number, string HolderName, string Post, string? Specialty, CertificateStatus Status,
    string StatusText, DateOnly ValidUntil, string? ReplacedBy)
{
    /// <summary>The verification of a certificate of the register.</summary>
    public static CertificateVerification Of(Certificate c, DateOnly today)
    {
        var status = c.StatusOn(today);
        return new(c.Number, Masking.Name(c.HolderName), c.Post, c.Specialty, status, status.Label(), c.ValidUntil, c.ReplacedBy);
    }
}

/// <summary>The electronic certificate (PDF) and its public verification (ADR 0020).</summary>
public static class ElectronicCertificatesApi
{
    private const string NotVerifiedCode = "certificate_not_verified";
    private const string NotVerifiedMessage = "未查到该证书：证书编号或校验码不正确";

    /// <summary>Maps the endpoints.</summary>
    public static void MapElectronicCertificatesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/certificates/{number}/pdf", Pdf).WithTags("Certificates").RequireActor()
            .ProducesPdf("The certificate, one A4 landscape page")
            .WithName("GetCertificatePdf").WithSummary("Download the electronic certificate")
            .WithDescription("The certificate as a one-page PDF (A4 landscape) to show or print: holder, photo where the application that last "
                + "changed it has one, post, number, dates, issuing authority, endorsements, the check code and a QR code of the public verification URL. "
                + "For the holder, the employer and the reviewers (as GET /api/certificates/{number}); anyone else gets 404 certificate_not_found. "
                + "Rendered on the first request after any change of the certificate and kept; ETag is its version.");
        app.MapGet("/api/verify/{number}", Verify).WithTags("Certificates").AllowAnonymous().RequireRateLimiting(RateLimits.Verify)
            .Produces<CertificateVerification>()
            .AlsoProduces("text/html", "Accept: text/html (a browser, a phone that scanned the QR code) — the same answer as a page in Chinese")
            .WithName("VerifyCertificate").WithSummary("Verify a certificate (no sign-in)")
            .WithDescription("Public verification by number and the check code printed on the certificate (?code=7K3M9-QX2PA; case, hyphens, O/0 and I/L/1 "
                + "do not matter): number, holder's name masked, post, status as of today, valid-until, and for a voided certificate the number that replaced it. "
                + "An unknown number, a wrong or missing code and a malformed number all get the same 404 certificate_not_verified, byte for byte, "
                + "so that numbers cannot be enumerated. Rate-limited per client address (RateLimits:Verify).");
    }

    /// <summary>GET /api/certificates/{number}/pdf.</summary>
    public static async Task<IResult> Pdf(string number, HttpContext http, ClaimsPrincipal user, CertificateStore store, CertificatePdfs pdfs,
        CancellationToken cancellationToken)
    {
        var actor = Caller.Of(user);
        number = number.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        if (CertificateNumbers.Problem(number) is { } problem) return Problems.Problem(400, "invalid_certificate_number", problem);
        var found = await store.GetAsync(number, cancellationToken);
        if (found is null || !AccessRules.CanViewCertificate(actor, found.Value.Certificate))
            return Problems.Problem(404, "certificate_not_found", "证书不存在");
        var rendered = await pdfs.GetOrRenderAsync(found.Value.Certificate, cancellationToken);
        return PdfResults.Inline(http, rendered.Pdf, $"证书-{found.Value.Certificate.Number}.pdf", "certificate.pdf", "private, no-cache", rendered.Version);
    }

    /// <summary>GET /api/verify/{number}?code=.</summary>
    public static async Task<IResult> Verify(string number, string? code, HttpContext http, CertificateStore store, CertificateLinks links,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var html = WantsHtml(http.Request);
        var headers = http.Response.Headers;
        headers.CacheControl = "no-store";
        headers.Vary = "Accept";
        headers["X-Robots-Tag"] = "noindex";
        headers["Referrer-Policy"] = "no-referrer";
        if (html) headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
        number = number.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        // The code is checked first, from the number alone: a wrong one costs no storage read, and
        // what is answered never depends on whether the number exists.
        var found = CertificateNumbers.IsWellFormed(number) && links.Matches(number, code) ? await store.GetAsync(number, cancellationToken) : null;
        if (found is null)
            return html ? TypedResults.Content(VerificationPage.NotFound, "text/html; charset=utf-8", statusCode: 404)
                : Problems.Problem(404, NotVerifiedCode, NotVerifiedMessage);
        var view = CertificateVerification.Of(found.Value.Certificate, ApplicationDecider.Today(clock.GetUtcNow()));
        return html ? TypedResults.Content(VerificationPage.Found(view, links.Authority), "text/html; charset=utf-8") : TypedResults.Ok(view);
    }

    /// <summary>
    /// The certificate an approved application changed or issued (a reissue: its new number), as a path
    /// to its PDF; null before approval and for kinds about no single certificate or that end one.
    /// </summary>
    public static string? PdfUrlOf(ApplicationState state, ReissueNumberFormat? reissueNumbers) =>
        state.Status != ApplicationStatus.Approved ? null
        : state.Kind switch
        {
            ApplicationKind.Reissue => (reissueNumbers ?? ReissueNumberFormat.Default).NumberFor(state.Id, state.CertificateNumber),
            ApplicationKind.Change or ApplicationKind.Extension or ApplicationKind.Transfer => state.CertificateNumber,
            _ => null,
        } is { } number ? $"/api/certificates/{Uri.EscapeDataString(number)}/pdf" : null;

    /// <summary>A browser's request (text/html preferred over JSON); an API client's <c>*/*</c> or JSON gets JSON.</summary>
    private static bool WantsHtml(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        double Quality(string type) => accept.Where(a => a.MediaType.Equals(type, StringComparison.OrdinalIgnoreCase))
            .Select(a => a.Quality ?? 1).DefaultIfEmpty(-1).Max();
        var htmlQuality = Quality("text/html");
        return htmlQuality > 0 && htmlQuality >= Quality("application/json");
    }
}
