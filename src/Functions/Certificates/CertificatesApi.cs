using System.Security.Claims;
using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Certificates;
using FuncRegistry.Core.Identifiers;
using FuncRegistry.Functions.Auth;
using FuncRegistry.Functions.Http;
using FuncRegistry.Functions.Security;
using FuncRegistry.Functions.Storage;

namespace FuncRegistry.Functions.Certificates;

/// <summary>
/// A certificate as shown to a caller (personal data masked unless they may see it). <c>Status</c> is as of
/// today (Beijing time): a valid certificate past its valid-until date reads <c>expired</c> (已过期).
/// </summary>
public sealed record CertificateView(
    string Number, string HolderName, string HolderIdNumber, string Post, string? Specialty, string Employer, string EmployerCode,
    string CityCode, DateOnly IssuedOn, DateOnly ValidUntil, CertificateStatus Status, string StatusText, string? ReplacedBy, string? Replaces,
    IReadOnlyList<Endorsement> Endorsements);

/// <summary>The body of POST /api/certificates/search.</summary>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record CertificateSearchRequest(string? HolderIdNumber);

/// <summary>The register: read certificates, import it.</summary>
public static class CertificatesApi
{
    /// <summary>Maps the endpoints.</summary>
    public static void MapCertificatesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/certificates").WithTags("Certificates").RequireActor();
        group.MapGet("/{number}", Get).Produces<CertificateView>()
            .WithName("GetCertificate").WithSummary("Get a certificate")
            .WithDescription("One certificate with its status, replacement links and endorsements (holder, employer, reviewers, admin). "
                + "The number percent-encoded as written, e.g. /api/certificates/%E7%94%98%E5%BB%BA%E5%AE%89C%EF%BC%882019%EF%BC%890012345 for 甘建安C（2019）0012345; "
                + "half- and full-width parentheses and letter case do not matter (甘建安c(2019)0012345 finds it too). A number that cannot be one is refused with 400 invalid_certificate_number.");
        group.MapGet("", ByHolder).Produces<IReadOnlyList<CertificateView>>()
            .WithName("ListCertificates").WithSummary("List a holder's certificates (deprecated)")
            .WithDescription("Certificates of a holder (an applicant sees only their own). Deprecated with ?holderIdNumber=: prefer POST /api/certificates/search, since an ID number in the query string is written to request logs and telemetry.");
        group.MapPost("/search", Search).Produces<IReadOnlyList<CertificateView>>()
            .WithName("SearchCertificates").WithSummary("Search a holder's certificates")
            .WithDescription("Certificates of a holder, the ID number in the body (an applicant sees only their own).");
        app.MapPost("/api/admin/certificates/import", Import).Produces<ImportResult>().WithTags("Admin").RequireActor()
            .Accepts<string>("text/csv").WithBodyLimit(BodyLimit.Import)
            .WithName("ImportCertificates").WithSummary("Import the certificate register")
            .WithDescription("Admin: import the register from CSV; never overwrites, so re-importing changes nothing.");
    }

    /// <summary>GET /api/certificates/{number}.</summary>
    public static async Task<IResult> Get(string number, ClaimsPrincipal user, CertificateStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var actor = Caller.Of(user);
        // Routing decodes every escape of a path segment but %2F (it would split the path): the
        // user typed '/', so the refusal names '/' and not '%'.
        number = number.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        if (CertificateNumbers.Problem(number) is { } problem) return Problems.Problem(400, "invalid_certificate_number", problem);
        var found = await store.GetAsync(number, cancellationToken);
        if (found is null || !AccessRules.CanViewCertificate(actor, found.Value.Certificate))
            return Problems.Problem(404, "certificate_not_found", "证书不存在");
        return TypedResults.Ok(View(found.Value.Certificate, actor, ApplicationDecider.Today(clock.GetUtcNow())));
    }

    /// <summary>GET /api/certificates?holderIdNumber=.</summary>
    public static Task<IResult> ByHolder(string? holderIdNumber, HttpContext http, ClaimsPrincipal user, CertificateStore store, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (holderIdNumber is not null)
        {
            // RFC 9745: the ID number in the URL lands in request logs; clients move to the POST.
            http.Response.Headers["Deprecation"] = "@1795996800"; // deprecated since 2026-11-30
            http.Response.Headers.Link = "</api/certificates/search>; rel=\"successor-version\"";
        }
        return CertificatesOfAsync(holderIdNumber, user, store, clock, cancellationToken);
    }

    /// <summary>POST /api/certificates/search: the ID number travels in the body, never in a URL that logs and telemetry keep.</summary>
    public static Task<IResult> Search(CertificateSearchRequest request, ClaimsPrincipal user, CertificateStore store, TimeProvider clock,
        CancellationToken cancellationToken) => CertificatesOfAsync(request.HolderIdNumber, user, store, clock, cancellationToken);

    /// <summary>The certificates of a holder the caller may see (an applicant: only their own; no number given: the applicant's).</summary>
    private static async Task<IResult> CertificatesOfAsync(string? holderIdNumber, ClaimsPrincipal user, CertificateStore store, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var actor = Caller.Of(user);
        var holder = holderIdNumber ?? (actor.Role == Role.Applicant ? actor.Subject : null);
        if (!ResidentIdNumber.TryParse(holder, ApplicationDecider.Today(clock.GetUtcNow()), out var id))
            return Problems.Invalid(new() { ["holderIdNumber"] = ["请填写有效的持证人身份证号"] });
        if (actor.Role == Role.Applicant && id!.Value != actor.Subject)
            return Problems.Problem(403, "not_own_certificates", "持证人只能查询本人的证书");
        var list = await store.ByHolderAsync(id!.Value, cancellationToken);
        var today = ApplicationDecider.Today(clock.GetUtcNow());
        return TypedResults.Ok(list.Where(c => AccessRules.CanViewCertificate(actor, c)).Select(c => View(c, actor, today)).ToList());
    }

    /// <summary>POST /api/admin/certificates/import (text/csv).</summary>
    public static async Task<IResult> Import(HttpRequest request, ClaimsPrincipal user, CertificateImport import, CancellationToken cancellationToken)
    {
        if (!AccessRules.CanImportRegister(Caller.Of(user))) return Problems.Problem(403, "admin_only", "只有管理员可以导入证书");
        if (request.ContentType is null || !request.ContentType.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase))
            return Problems.Problem(415, "unsupported_media_type", "请以 text/csv 格式上传证书数据");
        using var reader = new StreamReader(request.Body);
        var result = await import.ImportAsync(reader, cancellationToken);
        return result.NotARegister is { } why ? Problems.Problem(400, "invalid_register_file", why) : TypedResults.Ok(result);
    }

    private static CertificateView View(Certificate c, Actor viewer, DateOnly today)
    {
        var status = c.StatusOn(today);
        var open = AccessRules.SeesPersonalDataOf(viewer, c.HolderIdNumber, c.CityCode);
        return new CertificateView(c.Number, open ? c.HolderName : Masking.Name(c.HolderName), open ? c.HolderIdNumber : Masking.IdNumber(c.HolderIdNumber),
            c.Post, c.Specialty, c.Employer, c.EmployerCode, c.CityCode, c.IssuedOn, c.ValidUntil, status, status.Label(), c.ReplacedBy, c.Replaces,
            open ? c.Endorsements : c.Endorsements.Select(CertificateEffects.MaskedForOthers).ToList());
    }
}
