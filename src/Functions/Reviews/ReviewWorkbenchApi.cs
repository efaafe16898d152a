using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Certificates;
using FuncRegistry.Core.Deadlines;
using FuncRegistry.Core.Identifiers;
using FuncRegistry.Core.Province;
using FuncRegistry.Functions.Auth;
using FuncRegistry.Functions.Deadlines;
using FuncRegistry.Functions.Http;
using FuncRegistry.Functions.Storage;

namespace FuncRegistry.Functions.Reviews;

/// <summary>What the workbench's endpoints use.</summary>
public sealed record WorkbenchServices(ReviewQueueIndex Queues, ReviewCounters Counters, ReviewDeadlines Deadlines, ProvinceProfile Province, TimeProvider Clock);

/// <summary>
/// The reviewers' workbench (审核工作台): the queue with its filters and search, the search by ID
/// number, the counts (ADR 0024), and the admin's rebuild of the rows they read.
/// </summary>
public static class ReviewWorkbenchApi
{
    private const int DefaultLimit = 20;
    private const int MaxLimit = 100;
    private static readonly ApplicationKind[] Kinds = Enum.GetValues<ApplicationKind>();

    /// <summary>The statuses a submitted application can be in: what the counts list.</summary>
    private static readonly ApplicationStatus[] CountedStatuses =
        Enum.GetValues<ApplicationStatus>().Where(s => s is not (ApplicationStatus.None or ApplicationStatus.Draft)).ToArray();

    /// <summary>Registers the services.</summary>
    public static IServiceCollection AddReviewWorkbench(this IServiceCollection services) => services
        .AddSingleton<ReviewQueueIndex>().AddSingleton<ReviewCounters>().AddSingleton<IndexRebuild>();

    /// <summary>Maps the endpoints.</summary>
    public static void MapReviewWorkbenchApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/reviews/pending", Pending).Produces<ReviewQueuePageView>().WithTags("Reviews").RequireActor()
            .WithQueryChoices("kind", Kinds).WithQuerySchema("overdue", TrueOrFalse).WithQuerySchema("escalated", TrueOrFalse)
            .WithQuerySchema("submittedFrom", Date).WithQuerySchema("submittedTo", Date)
            .WithQuerySchema("city", () => new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[0-9]{6}$" })
            .WithName("ListPendingReviews").WithSummary("List the review queue")
            .WithDescription("The caller's review queue — a city's reviewers: what waits for their city's review; the province: what waits for the province's — "
                + "oldest submission first, with each stage's due time. Filters: kind; city (province only: one city's applications; a city reviewer's own city "
                + "or none, another → 403 city_not_in_scope); overdue=true|false (past the stage's due time now; true lists most overdue first); "
                + "escalated=true|false (a late city stage reported to the province; for the province, escalated=true lists those city stages); "
                + "submittedFrom, submittedTo (yyyy-MM-dd, Beijing days, inclusive; the last submission); q: an application id, a whole certificate number "
                + "in any spelling, or a holder's name or its start (whole names only where names show masked) — an ID number is refused in a URL "
                + "(400 id_number_not_allowed_in_url: use POST /api/reviews/search). limit 1–100 (default 20), cursor = the previous page's next "
                + "(null on the last page). Each filter is served by a key range (ADR 0024).");
        app.MapPost("/api/reviews/search", Search).Produces<ReviewQueuePageView>().WithTags("Reviews").RequireActor()
            .WithName("SearchPendingReviews").WithSummary("Search the review queue by ID number")
            .WithDescription("The applications in the caller's review queue of one holder, the ID number in the body {idNumber} (never in a URL); "
                + "the same lines as the queue, all in one page.");
        app.MapGet("/api/reviews/summary", Summary).Produces<ReviewSummaryView>().WithTags("Reviews").RequireActor()
            .WithName("GetReviewSummary").WithSummary("Count the reviewer's applications")
            .WithDescription("Counts for the caller's scope — a city's reviewers: the applications their city handles; the province: all of them, per city — "
                + "per status (every status of a submitted application, zeros included), per city, what in the caller's queue is past due and the late "
                + "city stages reported to the province. Kept by the transitions themselves (ADR 0024): they agree with the queue at every commit.");
        app.MapPost("/api/admin/indexes/rebuild", Rebuild).Produces<IndexRebuildResult>().WithTags("Admin").RequireActor()
            .WithName("RebuildIndexes").WithSummary("Rebuild the lists, queues and counters")
            .WithDescription("Admin: rewrite every application's list, queue and timer rows and its review counters as this version writes them, "
                + "once after deploying a version that adds rows (ADR 0024) → {applications, rebuilt}. Safe to run again and while reviewers work.");
    }

    private static OpenApiSchema TrueOrFalse() => new() { Type = JsonSchemaType.String, Enum = [JsonValue.Create("true"), JsonValue.Create("false")] };

    private static OpenApiSchema Date() => new() { Type = JsonSchemaType.String, Format = "date" };

    /// <summary>Documents a query parameter taken as text with the schema of what it accepts.</summary>
    private static RouteHandlerBuilder WithQuerySchema(this RouteHandlerBuilder builder, string parameter, Func<OpenApiSchema> schema) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.Parameters?.FirstOrDefault(p => p.Name == parameter) is OpenApiParameter query) query.Schema = schema();
            return Task.CompletedTask;
        });

    /// <summary>GET /api/reviews/pending.</summary>
    public static async Task<IResult> Pending(string? kind, string? city, string? overdue, string? escalated, string? submittedFrom, string? submittedTo,
        string? q, string? cursor, int? limit, ClaimsPrincipal user, [AsParameters] WorkbenchServices services, CancellationToken cancellationToken)
    {
        var actor = Caller.Of(user);
        if (ScopeOf(actor) is not { } scope) return NotAReviewer();
        var (query, search, problem) = QueryOf(actor, scope, services, kind, city, overdue, escalated, submittedFrom, submittedTo, q, limit);
        if (problem is not null) return problem;
        var page = search switch
        {
            QueueSearch.ById byId => await services.Queues.ByIdAsync(query!, byId.Id, cancellationToken),
            QueueSearch.ByNumber byNumber => await services.Queues.ByCertificateAsync(query!, byNumber.Number, cancellationToken),
            _ when !ReviewQueueIndex.IsCursorOf(query!, cursor) => null,
            _ => await services.Queues.PageAsync(query!, limit ?? DefaultLimit, cursor, cancellationToken),
        };
        return page is null
            ? Problems.Invalid(new() { ["cursor"] = ["翻页游标无效，请使用上一页返回的 next（更换筛选条件后请从第一页开始）"] })
            : TypedResults.Ok(PageOf(page, actor, services));
    }

    /// <summary>The queue query the parameters ask for and how <c>q</c> is looked up, or the problem with them (every bad field at once).</summary>
    private static (ReviewQueueQuery? Query, QueueSearch? Search, IResult? Problem) QueryOf(Actor actor, ReviewerScope scope, WorkbenchServices services,
        string? kind, string? city, string? overdue, string? escalated, string? submittedFrom, string? submittedTo, string? q, int? limit)
    {
        var now = services.Clock.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        ApplicationKind? kindFilter = null;
        if (!string.IsNullOrEmpty(kind))
        {
            if (QueryValues.TryParse(kind, Kinds, out var parsed)) kindFilter = parsed;
            else errors["kind"] = [$"申请类型取值无效，可选：{QueryValues.Names(Kinds)}"];
        }
        string? cityFilter = null;
        if (!string.IsNullOrEmpty(city))
        {
            if (services.Province.CityOf(city) is { } known) cityFilter = known.Code;
            else errors["city"] = [$"市州代码不属于{services.Province.Name}（6位市州代码，如 {services.Province.Cities[0].Code}）"];
        }
        var overdueFilter = Flag(overdue, "overdue", "是否逾期", errors);
        var escalatedFilter = Flag(escalated, "escalated", "是否已上报省级", errors);
        var from = Day(submittedFrom, "submittedFrom", errors);
        var to = Day(submittedTo, "submittedTo", errors);
        if (from is { } f && to is { } t && t < f) errors["submittedTo"] = ["提交日期的结束日期不能早于开始日期"];
        if (limit is < 1 or > MaxLimit) errors["limit"] = [$"每页条数须在1到{MaxLimit}之间"];
        var search = SearchOf(q, BeijingTime.DateOf(now), errors, out var idInUrl);
        if (idInUrl) return (null, null, Problems.Problem(400, "id_number_not_allowed_in_url", "身份证号不能放在网址中：请用 POST /api/reviews/search 在请求正文中按身份证号查询"));
        if (errors.Count > 0) return (null, null, Problems.Invalid(errors));
        if (scope is ReviewerScope.City own && cityFilter is not null && cityFilter != own.Code)
            return (null, null, Problems.Problem(403, "city_not_in_scope", "市州审核人员只能查看本市州的申请"));
        var query = new ReviewQueueQuery(actor, scope, now, kindFilter, scope is ReviewerScope.Province ? cityFilter : null, overdueFilter, escalatedFilter,
            from is { } start ? BeijingTime.StartOf(start) : null, to is { } end ? BeijingTime.EndOf(end) : null, (search as QueueSearch.ByName)?.Name);
        return (query, search, null);
    }

    /// <summary>POST /api/reviews/search: the ID number travels in the body, never in a URL that logs and telemetry keep.</summary>
    public static async Task<IResult> Search(ReviewSearchRequest request, ClaimsPrincipal user, [AsParameters] WorkbenchServices services,
        CancellationToken cancellationToken)
    {
        var actor = Caller.Of(user);
        if (ScopeOf(actor) is not { } scope) return NotAReviewer();
        var now = services.Clock.GetUtcNow();
        if (!ResidentIdNumber.TryParse(request.IdNumber, BeijingTime.DateOf(now), out var id))
            return Problems.Invalid(new() { ["idNumber"] = ["请填写有效的持证人身份证号（18位，含校验位）"] });
        var page = await services.Queues.ByHolderAsync(new ReviewQueueQuery(actor, scope, now), id!.Value, cancellationToken);
        return TypedResults.Ok(PageOf(page, actor, services));
    }

    /// <summary>GET /api/reviews/summary.</summary>
    public static async Task<IResult> Summary(ClaimsPrincipal user, [AsParameters] WorkbenchServices services, CancellationToken cancellationToken)
    {
        var actor = Caller.Of(user);
        if (ScopeOf(actor) is not { } scope) return NotAReviewer();
        var now = services.Clock.GetUtcNow();
        var own = (scope as ReviewerScope.City)?.Code;
        var counts = services.Counters.CountsAsync(own, cancellationToken);
        var flags = await services.Queues.FlagsAsync(scope, now, cancellationToken);
        var byCityCounts = await counts;
        // Every configured city (zeros included), then any other a count names.
        var cities = own is not null ? [own]
            : services.Province.Cities.Select(c => c.Code).Concat(byCityCounts.Keys.Order(StringComparer.Ordinal)).Distinct().ToList();
        var byCity = cities.Select(code =>
        {
            var perStatus = byCityCounts.GetValueOrDefault(code) ?? new Dictionary<ApplicationStatus, int>();
            var statuses = StatusCounts(s => perStatus.GetValueOrDefault(s));
            return new CityCountView(code, services.Province.CityOf(code)?.Name, statuses.Sum(s => s.Count), statuses,
                flags.OverdueByCity.GetValueOrDefault(code), flags.EscalatedByCity.GetValueOrDefault(code));
        }).ToList();
        var total = StatusCounts(s => byCity.Sum(c => c.ByStatus.First(x => x.Status == s).Count));
        return TypedResults.Ok(new ReviewSummaryView(scope is ReviewerScope.City ? ReviewStage.City : ReviewStage.Province, own, total.Sum(s => s.Count), total,
            byCity, flags.OverdueByCity.Values.Sum(), flags.EscalatedByCity.Values.Sum(), now.ToOffset(BeijingTime.Offset)));
    }

    /// <summary>POST /api/admin/indexes/rebuild.</summary>
    public static async Task<IResult> Rebuild(ClaimsPrincipal user, IndexRebuild rebuild, CancellationToken cancellationToken)
    {
        if (Caller.Of(user).Role != Role.Admin) return Problems.Problem(403, "admin_only", "只有管理员可以重建列表、待审队列和统计");
        return TypedResults.Ok(await rebuild.RunAsync(cancellationToken));
    }

    /// <summary>Whose queue the caller has: a city reviewer's city, the province's, or none.</summary>
    private static ReviewerScope? ScopeOf(Actor actor) => actor.Role switch
    {
        Role.CityReviewer when DivisionCodes.CityOf(actor.City) is { } city => new ReviewerScope.City(city),
        Role.ProvinceReviewer => new ReviewerScope.Province(),
        _ => null,
    };

    private static IResult NotAReviewer() => Problems.Problem(403, "not_a_reviewer", "只有审核人员有待审核列表");

    private static List<StatusCountView> StatusCounts(Func<ApplicationStatus, int> count) =>
        CountedStatuses.Select(s => new StatusCountView(s, s.Label(), count(s))).ToList();

    private static ReviewQueuePageView PageOf(QueuePage page, Actor actor, WorkbenchServices services) =>
        new(page.Items.Select(line => ItemOf(line, actor, services)).ToList(), page.Next);

    private static ReviewQueueItemView ItemOf(ApplicationSummary s, Actor viewer, WorkbenchServices services)
    {
        var open = s.HolderIdNumbers.Any(id => AccessRules.SeesPersonalDataOf(viewer, id, s.CityCode));
        var deadline = services.Deadlines.Of(s);
        var reviewCity = s.ReviewCityCode ?? s.CityCode;
        return new ReviewQueueItemView(s.Id, s.Kind, s.Kind.Label(), s.CertificateNumber, s.Status, s.Status.Label(), s.Status.Stage() ?? ReviewStage.City,
            open ? s.HolderName : Masking.Name(s.HolderName), s.CityCode, services.Province.CityOf(s.CityCode)?.Name, reviewCity,
            services.Province.CityOf(reviewCity)?.Name, s.CreatedAt, s.SubmittedAt, s.StatusSince, s.Round,
            deadline?.DueOn, deadline?.DueAt, deadline?.Overdue ?? false, deadline?.RemainingWorkingDays, s.Escalated);
    }

    private static bool? Flag(string? value, string field, string label, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (bool.TryParse(value, out var flag)) return flag;
        errors[field] = [$"{label}（{field}）取值无效，可选：true 或 false"];
        return null;
    }

    private static DateOnly? Day(string? value, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", out var day)) return day;
        errors[field] = ["日期格式应为yyyy-MM-dd（北京时间），如 2026-11-23"];
        return null;
    }

    /// <summary>What <c>q</c> asks for.</summary>
    private abstract record QueueSearch
    {
        public sealed record ById(string Id) : QueueSearch;
        public sealed record ByNumber(string Number) : QueueSearch;
        public sealed record ByName(string Name) : QueueSearch;
    }

    /// <summary>
    /// Reads <c>q</c>: an application id (SQ…), else an ID number (refused: <paramref name="idInUrl"/>), else a
    /// certificate number (it has digits), else a name; null when absent.
    /// </summary>
    private static QueueSearch? SearchOf(string? q, DateOnly today, Dictionary<string, string[]> errors, out bool idInUrl)
    {
        idInUrl = false;
        var text = q?.Trim() ?? "";
        if (text.Length == 0) return null;
        if (text.Length > CertificateNumbers.MaxLength || text.Any(char.IsControl))
        {
            errors["q"] = [$"搜索内容不超过{CertificateNumbers.MaxLength}个字符"];
            return null;
        }
        if (ApplicationIds.IsWellFormed(text.ToUpperInvariant())) return new QueueSearch.ById(text.ToUpperInvariant());
        if (ResidentIdNumber.TryParse(text, today, out _))
        {
            idInUrl = true;
            return null;
        }
        if (CertificateNumbers.Key(text).Any(char.IsAsciiDigit))
        {
            if (CertificateNumbers.Problem(text) is { } problem) errors["q"] = [problem];
            return new QueueSearch.ByNumber(text);
        }
        if (ReviewQueueRows.CanStartAName(text)) return new QueueSearch.ByName(text);
        errors["q"] = ["请填写申请编号、完整的证书编号或持证人姓名（身份证号请用 POST /api/reviews/search 查询）"];
        return null;
    }
}
