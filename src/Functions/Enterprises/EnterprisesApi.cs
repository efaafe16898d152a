using System.Security.Claims;
using System.Text.Json.Serialization;
using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Certificates;
using FuncRegistry.Core.Enterprises;
using FuncRegistry.Core.Identifiers;
using FuncRegistry.Core.Province;
using FuncRegistry.Functions.Auth;
using FuncRegistry.Functions.Http;
using FuncRegistry.Functions.Storage;
using Microsoft.Net.Http.Headers;

namespace FuncRegistry.Functions.Enterprises;

/// <summary>An enterprise as its roster's readers see it.</summary>
/// <param name="CertificateCount">Certificates on its roster, every status.</param>
/// <param name="OpenApplications">Applications about its certificates that are submitted and not finished.</param>
public sealed record EnterpriseView(string Uscc, string Name, string CityCode, string CityName, int CertificateCount, int OpenApplications);

/// <summary>
/// A certificate on an enterprise's roster. <c>HolderName</c> masked unless the caller may see it;
/// <c>Status</c> as of today (Beijing time); <c>OpenApplicationId</c> while an application about it is open.
/// </summary>
public sealed record RosterItemView(string Number, string HolderName, string Post, string? Specialty, CertificateStatus Status, string StatusText,
    DateOnly ValidUntil, string? OpenApplicationId);

/// <summary>A page of a roster; <c>Next</c> is the cursor of the next page, null (written, not left out) on the last.</summary>
public sealed record RosterPageView(IReadOnlyList<RosterItemView> Items, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Next);

/// <summary>The body of POST /api/enterprises/{uscc}/certificates/search.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record EnterpriseCertificateSearchRequest(string? IdNumber);

/// <summary>The body of PUT /api/admin/enterprises/{uscc}.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record UpsertEnterpriseRequest(string? Name, string? CityCode);

/// <summary>What the roster's endpoints use.</summary>
public sealed record RosterServices(EnterpriseStore Enterprises, ApplicationIndex Applications, ProvinceProfile Province, TimeProvider Clock);

/// <summary>
/// Enterprises and their rosters (花名册): the certificates an enterprise employs, for the enterprise
/// itself, the reviewers of its city, the province and admins (<see cref="AccessRules.CanViewEnterprise"/>); anyone
/// else is told it does not exist (404, as for a certificate or application they may not see).
/// </summary>
public static class EnterprisesApi
{
    private const int DefaultLimit = 20;
    private const int MaxLimit = 100;
    private const int MaxNameLength = 100;
    private static readonly CertificateStatus[] Statuses = Enum.GetValues<CertificateStatus>();

    /// <summary>Maps the endpoints.</summary>
    public static void MapEnterprisesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/enterprises/{uscc}").WithTags("Enterprises").RequireActor();
        group.MapGet("", Get).Produces<EnterpriseView>()
            .WithName("GetEnterprise").WithSummary("Get an enterprise")
            .WithDescription("The enterprise's record with its city, how many certificates its roster lists (every status) and how many applications about them are open. "
                + "For the enterprise itself (token org = uscc), the reviewers of its city, province reviewers and admins; anyone else gets 404 enterprise_not_found. "
                + "A USCC that cannot be one is refused with 400 invalid_uscc.");
        group.MapGet("/certificates", List).Produces<RosterPageView>()
            .AlsoProduces("text/csv", "Accept: text/csv — every matching line: UTF-8 with a BOM, header 证书编号,姓名,岗位,状态,有效期至,在办申请编号")
            .WithQueryChoices("status", Statuses)
            .WithName("ListEnterpriseCertificates").WithSummary("List an enterprise's certificates")
            .WithDescription("The roster, in certificate-number order: status (as of today; expired = valid past validUntil), post (施工员 or 施工员(土建施工)), "
                + "validUntilBefore (yyyy-MM-dd, exclusive), q (part of a certificate number in any spelling, or a holder's name: whole names only where names show masked), "
                + "limit 1–100 (default 20), cursor = the previous page's next. With Accept: text/csv every matching line (limit and cursor ignored) as a UTF-8 CSV with a BOM "
                + "and a Chinese header, as an attachment. Holder names are masked unless the caller may see them. ID numbers are searched with POST …/certificates/search.");
        group.MapPost("/certificates/search", Search).Produces<RosterPageView>()
            .WithName("SearchEnterpriseCertificates").WithSummary("Search an enterprise's certificates by holder")
            .WithDescription("The roster's certificates of one holder, the ID number in the body {idNumber} (never in a URL); the same lines as the list, all in one page.");
        app.MapPut("/api/admin/enterprises/{uscc}", Upsert).Produces<EnterpriseView>().WithTags("Admin").RequireActor()
            .WithName("UpsertEnterprise").WithSummary("Register or correct an enterprise")
            .WithDescription("Admin: {name, cityCode} registers an enterprise not yet known (an employer with no certificate, about to receive one) or corrects its record; "
                + "cityCode is a city (or county) of the province, stored as its city. Its certificates are not changed.");
    }

    /// <summary>GET /api/enterprises/{uscc}.</summary>
    public static async Task<IResult> Get(string uscc, ClaimsPrincipal user, [AsParameters] RosterServices services, CancellationToken cancellationToken)
    {
        var (enterprise, refused) = await VisibleAsync(uscc, Caller.Of(user), services, cancellationToken);
        return refused ?? TypedResults.Ok(await ViewAsync(enterprise!, services, cancellationToken));
    }

    /// <summary>GET /api/enterprises/{uscc}/certificates (JSON pages, or every line as CSV).</summary>
    public static async Task<IResult> List(string uscc, string? status, string? post, string? validUntilBefore, string? q, string? cursor, int? limit,
        HttpRequest request, ClaimsPrincipal user, [AsParameters] RosterServices services, CancellationToken cancellationToken)
    {
        var actor = Caller.Of(user);
        var (enterprise, refused) = await VisibleAsync(uscc, actor, services, cancellationToken);
        if (refused is not null) return refused;
        var csv = WantsCsv(request);
        var (query, errors) = QueryOf(status, post, validUntilBefore, q, actor, services);
        if (!csv && limit is < 1 or > MaxLimit) errors["limit"] = [$"每页条数须在1到{MaxLimit}之间"];
        if (!csv && !EnterpriseStore.IsCursorOf(enterprise!.Uscc, cursor)) errors["cursor"] = ["翻页游标无效，请使用上一页返回的 next"];
        if (errors.Count > 0) return Problems.Invalid(errors);

        // The open applications and the roster are read side by side: two key ranges, one request each for a page.
        var open = services.Applications.OpenOfEmployerAsync(enterprise!.Uscc, cancellationToken);
        if (csv)
        {
            var lines = await services.Enterprises.AllAsync(enterprise.Uscc, query, cancellationToken).ToListAsync(cancellationToken);
            var applications = await open;
            return Results.File(RosterCsv.Write(lines.Select(l => ItemOf(l, actor, query.Today, applications))), RosterCsv.ContentType,
                $"{enterprise.Uscc}-证书花名册-{query.Today:yyyyMMdd}.csv");
        }
        var page = await services.Enterprises.ListAsync(enterprise.Uscc, query, limit ?? DefaultLimit, cursor, cancellationToken);
        var openApplications = await open;
        return TypedResults.Ok(new RosterPageView(page.Lines.Select(l => ItemOf(l, actor, query.Today, openApplications)).ToList(), page.Next));
    }

    /// <summary>POST /api/enterprises/{uscc}/certificates/search: the ID number travels in the body, never in a URL that logs and telemetry keep.</summary>
    public static async Task<IResult> Search(string uscc, EnterpriseCertificateSearchRequest request, ClaimsPrincipal user, [AsParameters] RosterServices services,
        CancellationToken cancellationToken)
    {
        var actor = Caller.Of(user);
        var (enterprise, refused) = await VisibleAsync(uscc, actor, services, cancellationToken);
        if (refused is not null) return refused;
        var today = ApplicationDecider.Today(services.Clock.GetUtcNow());
        if (!ResidentIdNumber.TryParse(request.IdNumber, today, out var id))
            return Problems.Invalid(new() { ["idNumber"] = ["请填写有效的持证人身份证号（18位，含校验位）"] });
        var open = services.Applications.OpenOfEmployerAsync(enterprise!.Uscc, cancellationToken);
        var lines = await services.Enterprises.AllAsync(enterprise.Uscc, new RosterQuery(today, HolderIdNumber: id!.Value), cancellationToken).ToListAsync(cancellationToken);
        var applications = await open;
        return TypedResults.Ok(new RosterPageView(lines.Select(l => ItemOf(l, actor, today, applications)).ToList(), null));
    }

    /// <summary>PUT /api/admin/enterprises/{uscc}.</summary>
    public static async Task<IResult> Upsert(string uscc, UpsertEnterpriseRequest request, ClaimsPrincipal user, [AsParameters] RosterServices services,
        CancellationToken cancellationToken)
    {
        if (!AccessRules.CanEditEnterprise(Caller.Of(user))) return Problems.Problem(403, "admin_only", "只有管理员可以登记或更正企业信息");
        if (!CreditCode.TryParse(uscc, out var code)) return InvalidUscc();
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength || name.Any(char.IsControl)) errors["name"] = [$"企业名称不能为空且不超过{MaxNameLength}字"];
        var city = services.Province.CityOf(request.CityCode);
        if (city is null) errors["cityCode"] = [$"市州代码不属于{services.Province.Name}（6位行政区划代码，如 {services.Province.Cities[0].Code}）"];
        if (errors.Count > 0) return Problems.Invalid(errors);
        var enterprise = new Enterprise(code!.Value, name!, city!.Code);
        await services.Enterprises.UpsertAsync(enterprise, cancellationToken);
        return TypedResults.Ok(await ViewAsync(enterprise, services, cancellationToken));
    }

    /// <summary>
    /// The one gate of every roster endpoint: a well-formed USCC (400), an enterprise that is known
    /// and that the caller may see (404 otherwise, whichever it is: its existence is not revealed).
    /// </summary>
    private static async Task<(Enterprise? Enterprise, IResult? Refused)> VisibleAsync(string uscc, Actor actor, RosterServices services, CancellationToken cancellationToken)
    {
        if (!CreditCode.TryParse(uscc, out var code)) return (null, InvalidUscc());
        var enterprise = await services.Enterprises.GetAsync(code!.Value, cancellationToken);
        return enterprise is not null && AccessRules.CanViewEnterprise(actor, enterprise)
            ? (enterprise, null)
            : (null, Problems.Problem(404, "enterprise_not_found", "企业不存在"));
    }

    private static IResult InvalidUscc() =>
        Problems.Problem(400, "invalid_uscc", "统一社会信用代码格式不正确：应为18位数字或大写字母（不使用I、O、Z、S、V）");

    private static async Task<EnterpriseView> ViewAsync(Enterprise e, RosterServices services, CancellationToken cancellationToken)
    {
        var count = services.Enterprises.CountAsync(e.Uscc, cancellationToken);
        var open = services.Applications.OpenOfEmployerAsync(e.Uscc, cancellationToken);
        return new EnterpriseView(e.Uscc, e.Name, e.CityCode, services.Province.CityOf(e.CityCode)?.Name ?? "", await count, (await open).Count);
    }

    /// <summary>The list's filters, or the problems with them (all at once).</summary>
    private static (RosterQuery Query, Dictionary<string, string[]> Errors) QueryOf(string? status, string? post, string? validUntilBefore, string? q,
        Actor actor, RosterServices services)
    {
        var errors = new Dictionary<string, string[]>();
        CertificateStatus? statusFilter = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (QueryValues.TryParse(status, Statuses, out var parsed)) statusFilter = parsed;
            else errors["status"] = [$"证书状态取值无效，可选：{QueryValues.Names(Statuses)}"];
        }
        (string Post, string? Specialty)? postFilter = null;
        if (!string.IsNullOrEmpty(post))
        {
            // A post that carries a specialty may be given without it: every specialty of it.
            postFilter = Posts.Parse(post) ?? (Posts.All.Contains(post.Trim()) ? (post.Trim(), null) : null);
            if (postFilter is null) errors["post"] = [$"岗位取值无效，可选：{string.Join("、", Posts.All)}，施工员、质量员可注明专业，如“施工员(土建施工)”"];
        }
        DateOnly? before = null;
        if (!string.IsNullOrEmpty(validUntilBefore))
        {
            if (DateOnly.TryParseExact(validUntilBefore, "yyyy-MM-dd", out var date)) before = date;
            else errors["validUntilBefore"] = ["日期格式应为yyyy-MM-dd，如 2027-06-30"];
        }
        Func<RosterLine, bool>? where = null;
        if (!string.IsNullOrWhiteSpace(q))
        {
            if (q.Length > RosterSearch.MaxLength || q.Any(char.IsControl)) errors["q"] = [$"搜索内容不超过{RosterSearch.MaxLength}个字符"];
            else where = line => RosterSearch.Matches(line.Number, line.HolderName, q, SeesNames(actor, line));
        }
        var today = ApplicationDecider.Today(services.Clock.GetUtcNow());
        return (new RosterQuery(today, statusFilter, postFilter?.Post, postFilter?.Specialty, before, Where: where), errors);
    }

    /// <summary>
    /// The one rule for personal data, per line: the reviewers of the certificate's city and the
    /// province see the name; the enterprise and admins see it masked. No applicant reaches a roster,
    /// so the holder's own ID number (which the roster does not keep) never decides.
    /// </summary>
    private static bool SeesNames(Actor actor, RosterLine line) => AccessRules.SeesPersonalDataOf(actor, holderIdNumber: "", line.CityCode);

    private static RosterItemView ItemOf(RosterLine line, Actor actor, DateOnly today, IReadOnlyDictionary<string, string> openApplications)
    {
        var status = line.StatusOn(today);
        return new RosterItemView(line.Number, SeesNames(actor, line) ? line.HolderName : Masking.Name(line.HolderName), line.Post, line.Specialty,
            status, status.Label(), line.ValidUntil, openApplications.GetValueOrDefault(CertificateNumbers.Key(line.Number)));
    }

    /// <summary>Whether the client asked for the CSV export (<c>Accept: text/csv</c>).</summary>
    private static bool WantsCsv(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase) && a.Quality is not 0);
}
