using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Certificates;
using FuncRegistry.Core.Documents;
using FuncRegistry.Core.Province;
using FuncRegistry.Functions.Auth;
using FuncRegistry.Functions.Deadlines;
using FuncRegistry.Functions.Http;
using FuncRegistry.Functions.Security;
using FuncRegistry.Functions.Storage;

namespace FuncRegistry.Functions.Applications;

/// <summary>The fields to change: exactly one of name, ID number, or employer with its USCC.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ChangesRequest(string? HolderName, string? HolderIdNumber, string? Employer, string? EmployerCode);

/// <summary>POST /api/applications. An enterprise change (<c>enterpriseChange</c>) names the enterprise instead of a certificate, and its new name and/or city.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
/// A transfer (filed by the receiving enterprise) gives the holder's <c>holderIdNumber</c> as proof it knows them, and may claim
/// the social-insurance exception to the 3-month rule (<c>socialInsuranceException</c>).
public sealed record CreateApplicationRequest(ApplicationKind? Kind, string? CertificateNumber, string? NotificationPhone,
    ChangesRequest? Changes, ReissueReason? ReissueReason, string? Reason, string? HolderIdNumber = null, bool? SocialInsuranceException = null,
    string? EnterpriseCode = null, string? NewName = null, string? NewCityCode = null,
    [property: System.ComponentModel.DataAnnotations.MaxLength(BatchReissue.MaxLines)] List<string>? CertificateNumbers = null);

/// <summary>PUT /api/applications/{id}: the editable fields only (status and reviewer fields cannot be set).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record EditApplicationRequest(string? NotificationPhone, ChangesRequest? Changes, ReissueReason? ReissueReason, string? Reason,
    bool? SocialInsuranceException = null);

/// <summary>POST /api/applications/{id}/confirm.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ConfirmApplicationRequest(bool? Accept);

/// <summary>POST /api/applications/{id}/submit: the version of the kind's commitment the applicant accepted (<c>GET /api/commitments/{kind}</c>).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SubmitApplicationRequest(string? CommitmentVersion);

/// <summary>Applications: create, read, list, edit, delete, submit, confirm, withdraw.</summary>
public static class ApplicationsApi
{
    private const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>Maps the endpoints.</summary>
    public static void MapApplicationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/applications").WithTags("Applications").RequireActor();
        group.MapPost("", Create).Produces<ApplicationView>(201).RequireRateLimiting(RateLimits.Create)
            .WithName("CreateApplication").WithSummary("File a draft application")
            .WithDescription("An applicant or enterprise files a draft for one of its certificates. Honours Idempotency-Key: a retry with the same key and body gets the first answer.");
        group.MapGet("", List).Produces<PageView<ApplicationSummaryView>>()
            .WithQueryChoices("status", ListedStatuses).WithQueryChoices("kind", Kinds)
            .WithName("ListApplications").WithSummary("List applications")
            .WithDescription("Applications visible to the caller, newest first: their own, their employees', their city's or all, by role.");
        group.MapGet("/{id}", Get).Produces<ApplicationView>()
            .WithName("GetApplication").WithSummary("Get an application")
            .WithDescription("One application with its history and the caller's allowed actions.");
        group.MapPut("/{id}", Edit).Produces<ApplicationView>()
            .WithName("EditApplication").WithSummary("Edit an application")
            .WithDescription("Edit a draft or returned application; If-Match with the ETag is supported.");
        group.MapDelete("/{id}", Delete).Produces(204)
            .WithName("DeleteApplication").WithSummary("Delete a draft")
            .WithDescription("The filer deletes a draft application; a submitted one is withdrawn instead.");
        group.MapPost("/{id}/submit", Submit).Produces<ApplicationView>().RequireRateLimiting(RateLimits.Submit)
            .WithName("SubmitApplication").WithSummary("Submit an application")
            .WithDescription("Submit a draft or returned application to city review: {commitmentVersion} names the commitment accepted (GET /api/commitments/{kind}); "
                + "with Registry:RequirePhoneVerification the notification phone must be verified by the caller within 30 minutes (422 phone_not_verified).");
        group.MapPost("/{id}/confirm", Confirm).Produces<ApplicationView>()
            .WithName("ConfirmApplication").WithSummary("Confirm or refuse an application as the other party")
            .WithDescription("The other party confirms a submitted application that awaits it (status pendingConfirmation): the holder one an enterprise filed "
                + "(a transfer, an employer's cancellation), the employer one its employee filed (a holder's cancellation). {\"accept\": true} sends it on to review "
                + "(or approves it when its kind has no review stage: Workflow:Kinds:<kind>:Stages = []); {\"accept\": false} withdraws it and texts the filer.");
        group.MapPost("/{id}/withdraw", Withdraw).Produces<ApplicationView>()
            .WithName("WithdrawApplication").WithSummary("Withdraw an application")
            .WithDescription("The filer withdraws an application while it is under review or returned.");
    }

    /// <summary>POST /api/applications.</summary>
    public static async Task<IResult> Create(CreateApplicationRequest request, HttpContext http, ClaimsPrincipal user,
        ApplicationWorkflow workflow, IdempotencyStore idempotency, ProvinceProfile province, TimeProvider clock, CancellationToken cancellationToken)
    {
        var actor = Caller.Of(user);
        var errors = new Dictionary<string, string[]>();
        if (request.Kind is null) errors["kind"] = ["请选择申请类型：change、reissue、cancellation、extension、transfer、enterpriseChange 或 batchReissue"];
        if (request.Kind == ApplicationKind.Transfer && string.IsNullOrWhiteSpace(request.HolderIdNumber))
            errors["holderIdNumber"] = ["调入变更须填写持证人身份证号"];
        if (request.Kind is not null and not ApplicationKind.Transfer && request.HolderIdNumber is not null)
            errors["holderIdNumber"] = ["只有调入变更申请填写持证人身份证号（证书已标明持证人）"];
        if (request.Kind == ApplicationKind.BatchReissue) BatchReissueRequests.Check(request, errors);
        else if (request.Kind == ApplicationKind.EnterpriseChange) EnterpriseChangeRequests.Check(request, errors);
        else if (string.IsNullOrWhiteSpace(request.CertificateNumber)) errors["certificateNumber"] = ["请填写证书编号"];
        else if (CertificateNumbers.Problem(request.CertificateNumber) is { } numberProblem) errors["certificateNumber"] = [numberProblem];
        if (request.Kind != ApplicationKind.EnterpriseChange && (request.EnterpriseCode ?? request.NewName ?? request.NewCityCode) is not null)
            errors["enterpriseCode"] = ["只有企业信息变更申请（enterpriseChange）可以填写企业代码、新名称或迁入市州"];
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (request.Kind == ApplicationKind.EnterpriseChange && EnterpriseChangeRequests.NotTheEnterprise(request, actor) is { } forbidden) return forbidden;

        var key = http.Request.Headers[IdempotencyHeader].ToString();
        var callerKey = IdempotencyStore.CallerOf(actor);
        var body = JsonSerializer.Serialize(request, Json.Options);
        IdempotencyReservation.Reserved? reserved = null;
        if (key.Length > 0)
        {
            if (key.Length > 200) return Problems.Invalid(new() { [IdempotencyHeader] = ["Idempotency-Key 不能超过200个字符"] });
            switch (await idempotency.ReserveAsync(callerKey, key, body, cancellationToken))
            {
                case IdempotencyReservation.Replay replay:
                    return Results.Text(replay.Body, "application/json", statusCode: replay.Status);
                case IdempotencyReservation.Mismatch:
                    return Problems.Problem(422, "idempotency_key_reused", "该 Idempotency-Key 已用于内容不同的请求，请使用新的键");
                case IdempotencyReservation.InProgress:
                    return Problems.Problem(409, "idempotency_request_in_progress", "相同 Idempotency-Key 的请求正在处理中，请稍后重试");
                case IdempotencyReservation.Reserved r:
                    reserved = r;
                    break;
            }
        }
        var details = new ApplicationDetails(request.NotificationPhone ?? "", ToChange(request.Changes), request.ReissueReason, request.Reason,
            request.SocialInsuranceException);
        // With a key reserved, a client that gives up must not stop the request between the
        // commit and keeping its response (the retry it sends next is what the key is for); the
        // request is bounded well inside the time after which its reservation may be taken over.
        using var bounded = new CancellationTokenSource(IdempotencyStore.AbandonedAfter / 2, clock);
        var untilDone = reserved is null ? cancellationToken : bounded.Token;
        var result = request.Kind switch
        {
            ApplicationKind.EnterpriseChange =>
                await workflow.CreateEnterpriseChangeAsync(EnterpriseChangeRequests.Uscc(request), request.NewName, request.NewCityCode, details, actor, untilDone),
            ApplicationKind.BatchReissue => await workflow.CreateBatchAsync(request.CertificateNumbers!, details, actor, untilDone),
            _ => await workflow.CreateAsync(request.Kind!.Value, CertificateNumbers.Written(request.CertificateNumber!), details, actor, untilDone,
                request.HolderIdNumber),
        };
        if (result.Refusal is not null)
        {
            if (reserved is not null) await idempotency.ReleaseAsync(callerKey, key, reserved, untilDone);
            return Problems.From(result.Refusal);
        }
        var view = ApplicationViews.For(result.Application!, actor, province, reissueNumbers: ReissueNumbersOf(http));
        if (reserved is not null)
            await idempotency.CompleteAsync(callerKey, key, reserved, body, 201, JsonSerializer.Serialize(view, Json.Options), untilDone);
        SetETag(http, view.Version);
        return TypedResults.Created($"/api/applications/{view.Id}", view);
    }

    /// <summary>GET /api/applications/{id}.</summary>
    public static async Task<IResult> Get(string id, HttpContext http, ClaimsPrincipal user, ApplicationStore store, ProvinceProfile province,
        ReviewDeadlines deadlines, ReviewLinkSigner reviewLinks, CancellationToken cancellationToken)
    {
        var actor = Caller.Of(user);
        var stored = await store.LoadAsync(id, cancellationToken);
        if (stored is null || stored.State.Status == ApplicationStatus.None || !AccessRules.CanView(actor, stored.State))
            return Problems.Problem(404, "application_not_found", "申请不存在");
        SetETag(http, stored.State.Revision);
        return TypedResults.Ok(ApplicationViews.For(stored, actor, province, deadlines.ViewOf(stored), ReissueNumbersOf(http)) with
        {
            CallbackLinks = reviewLinks.OfferTo(actor, stored.State, http.Request),
        });
    }

    private static readonly ApplicationStatus[] ListedStatuses = Enum.GetValues<ApplicationStatus>().Where(s => s != ApplicationStatus.None).ToArray();
    private static readonly ApplicationKind[] Kinds = Enum.GetValues<ApplicationKind>();

    /// <summary>GET /api/applications.</summary>
    public static async Task<IResult> List(ClaimsPrincipal user, ApplicationIndex index, StorageAccount account, ReviewDeadlines deadlines,
        string? status, string? kind, int? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var actor = Caller.Of(user);
        if (pageSize is < 1 or > 100) return Problems.Invalid(new() { ["pageSize"] = ["每页条数须在1到100之间"] });
        var (statusFilter, statusProblem) = QueryValues.Filter(status, "status", "状态", ListedStatuses);
        if (statusProblem is not null) return statusProblem;
        var (kindFilter, kindProblem) = QueryValues.Filter(kind, "kind", "申请类型", Kinds);
        if (kindProblem is not null) return kindProblem;
        if (!ApplicationIndex.IsPlausibleContinuationToken(continuationToken)) return Problems.Invalid(new() { ["continuationToken"] = ["翻页令牌无效"] });
        ApplicationIndex.Scope? scope = actor.Role switch
        {
            Role.Applicant => new ApplicationIndex.Scope.Holder(account.PersonalKey(actor.Subject)),
            Role.Enterprise when actor.Org is not null => new ApplicationIndex.Scope.Employer(actor.Org),
            Role.CityReviewer when DivisionCodes.CityOf(actor.City) is { } city => new ApplicationIndex.Scope.City(city),
            Role.ProvinceReviewer or Role.Admin => new ApplicationIndex.Scope.Province(),
            _ => null,
        };
        if (scope is null) return Problems.Problem(403, "forbidden", "令牌缺少所需的单位或市州信息");
        var page = await index.ListAsync(scope, statusFilter, kindFilter, pageSize ?? 20, continuationToken, cancellationToken);
        return TypedResults.Ok(new PageView<ApplicationSummaryView>(page.Items.Select(s => ApplicationViews.For(s, actor, deadlines.Of(s))).ToList(), page.ContinuationToken));
    }

    /// <summary>PUT /api/applications/{id}.</summary>
    public static Task<IResult> Edit(string id, EditApplicationRequest request, HttpContext http, ClaimsPrincipal user,
        ApplicationWorkflow workflow, ProvinceProfile province, TimeProvider clock, CancellationToken cancellationToken)
    {
        int? expected = null;
        var ifMatch = http.Request.Headers.IfMatch.ToString();
        if (ifMatch.Length > 0 && ifMatch != "*")
        {
            if (!int.TryParse(ifMatch.Trim('"', 'W', '/'), out var v))
                return Task.FromResult(Problems.Invalid(new() { ["If-Match"] = ["If-Match 应为 GET 返回的 ETag"] }));
            expected = v;
        }
        var details = new ApplicationDetails(request.NotificationPhone ?? "", ToChange(request.Changes), request.ReissueReason, request.Reason,
            request.SocialInsuranceException);
        return Run(id, http, user, workflow, province, async (s, actor) =>
            new ApplicationCommand.Edit(details, await workflow.CertificateOfAsync(s, cancellationToken), actor, clock.GetUtcNow()), expected, cancellationToken);
    }

    /// <summary>DELETE /api/applications/{id}.</summary>
    public static async Task<IResult> Delete(string id, HttpContext http, ClaimsPrincipal user, ApplicationWorkflow workflow, ProvinceProfile province,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var result = await Run(id, http, user, workflow, province, (_, actor) => Task.FromResult<ApplicationCommand>(new ApplicationCommand.Delete(actor, clock.GetUtcNow())), null, cancellationToken);
        return result is IStatusCodeHttpResult { StatusCode: 200 } ? TypedResults.NoContent() : result;
    }

    /// <summary>POST /api/applications/{id}/submit.</summary>
    public static Task<IResult> Submit(string id, SubmitApplicationRequest? request, HttpContext http, ClaimsPrincipal user, ApplicationWorkflow workflow,
        ProvinceProfile province, DocumentPolicy documentPolicy, ExtensionWindow extensionWindow, WorkflowPolicy routes, Phones.PhoneVerifications phones,
        TimeProvider clock, CancellationToken cancellationToken) =>
        Run(id, http, user, workflow, province, async (s, actor) =>
            new ApplicationCommand.Submit(await workflow.CertificateOfAsync(s, cancellationToken), documentPolicy, extensionWindow, actor, clock.GetUtcNow(), routes,
                await workflow.BatchCandidatesAsync(s, cancellationToken), request?.CommitmentVersion,
                await phones.CheckAsync(actor, s.Details.NotificationPhone, cancellationToken)),
            null, cancellationToken);

    /// <summary>POST /api/applications/{id}/confirm.</summary>
    public static Task<IResult> Confirm(string id, ConfirmApplicationRequest request, HttpContext http, ClaimsPrincipal user, ApplicationWorkflow workflow,
        ProvinceProfile province, TimeProvider clock, CancellationToken cancellationToken) =>
        request.Accept is not { } accept
            ? Task.FromResult(Problems.Invalid(new() { ["accept"] = ["请选择是否同意：accept 为 true（同意）或 false（不同意，申请将撤回）"] }))
            : Run(id, http, user, workflow, province, (_, actor) => Task.FromResult<ApplicationCommand>(new ApplicationCommand.Confirm(accept, actor, clock.GetUtcNow())),
                null, cancellationToken);

    /// <summary>POST /api/applications/{id}/withdraw.</summary>
    public static Task<IResult> Withdraw(string id, HttpContext http, ClaimsPrincipal user, ApplicationWorkflow workflow, ProvinceProfile province,
        TimeProvider clock, CancellationToken cancellationToken) =>
        Run(id, http, user, workflow, province, (_, actor) => Task.FromResult<ApplicationCommand>(new ApplicationCommand.Withdraw(actor, clock.GetUtcNow())), null, cancellationToken);

    /// <summary>Runs a command and answers with the application as GET shows it, or the refusal.</summary>
    public static async Task<IResult> Run(string id, HttpContext http, ClaimsPrincipal user, ApplicationWorkflow workflow, ProvinceProfile province,
        Func<ApplicationState, Actor, Task<ApplicationCommand>> command, int? expectedVersion, CancellationToken cancellationToken)
    {
        var actor = Caller.Of(user);
        var result = await workflow.ExecuteAsync(id, s => command(s, actor), expectedVersion, cancellationToken);
        if (result.Refusal is not null) return Problems.From(result.Refusal);
        SetETag(http, result.Application!.State.Revision);
        var deadline = http.RequestServices.GetRequiredService<ReviewDeadlines>().ViewOf(result.Application);
        return TypedResults.Ok(ApplicationViews.For(result.Application, actor, province, deadline, ReissueNumbersOf(http)));
    }

    private static ReissueNumberFormat ReissueNumbersOf(HttpContext http) => http.RequestServices.GetRequiredService<ReactionSettings>().ReissueNumbers;

    private static CertificateChange? ToChange(ChangesRequest? c) =>
        c is null ? null : new CertificateChange(c.HolderName, c.HolderIdNumber, c.Employer, c.EmployerCode);

    private static void SetETag(HttpContext http, int version) => http.Response.Headers.ETag = $"\"{version}\"";
}
