using System.Security.Claims;
using System.Text.Json.Serialization;
using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Documents;
using FuncRegistry.Functions.Applications;
using FuncRegistry.Functions.Auth;
using FuncRegistry.Functions.Http;
using FuncRegistry.Functions.Security;
using FuncRegistry.Functions.Storage;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace FuncRegistry.Functions.Documents;

/// <summary>POST /api/applications/{id}/documents as the OpenAPI document describes it (the handler reads the form itself).</summary>
/// <param name="File">The scan: JPEG, PNG or PDF by content.</param>
/// <param name="Type">A document type code, e.g. idCardFront.</param>
/// <param name="CertificateNumber">For a batch reissue's photo: the certificate (line) it is for.</param>
public sealed record UploadForm(IFormFile File, string Type, string? CertificateNumber = null);

/// <summary>POST /api/applications/{id}/documents/uploads: announce a direct upload.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record BeginUploadRequest(DocumentType? Type, string? FileName, long? Size, string? CertificateNumber = null);

/// <summary>
/// Documents of an application: upload (multipart, or direct to storage and commit), list, open,
/// delete; and the document types each kind requires. Every path decides before it stores a
/// byte, and removes what it stored when the decision is refused at commit.
/// </summary>
public static class DocumentsApi
{
    /// <summary>Registers the documents services and settings.</summary>
    public static IServiceCollection AddDocuments(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<DocumentsOptions>(config.GetSection("Documents"));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DocumentsOptions>>().Value.ToPolicy());
        services.AddSingleton<DocumentStore>();
        return services;
    }

    /// <summary>Maps the endpoints.</summary>
    public static void MapDocumentsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/document-types", Types).Produces<IReadOnlyList<DocumentTypeView>>().WithTags("Documents").RequireActor()
            .WithName("ListDocumentTypes").WithSummary("List document types")
            .WithDescription("Document types for a kind: label, whether required, accepted content types, size limit.");
        var group = app.MapGroup("/api/applications/{id}/documents").WithTags("Documents").RequireActor();
        group.MapPost("", Upload).Accepts<UploadForm>("multipart/form-data").Produces<DocumentView>(201)
            .WithBodyLimit(BodyLimit.Upload).RequireRateLimiting(RateLimits.Upload)
            .WithName("UploadDocument").WithSummary("Upload a document")
            .WithDescription("Attach a file (multipart/form-data: file, type) to a draft or returned application.");
        group.MapGet("", List).Produces<DocumentListView>()
            .WithName("ListDocuments").WithSummary("List an application's documents")
            .WithDescription("The documents attached, the types required and the types still missing.");
        group.MapGet("/{documentId}", Open).Produces(200, contentType: "application/octet-stream")
            .WithName("DownloadDocument").WithSummary("Download a document")
            .WithDescription("The file itself, streamed (filer, holder, reviewers of the current stage; once approved or withdrawn also the city's and province reviewers and admins). A reviewer's or admin's opening is recorded in the history.");
        group.MapDelete("/{documentId}", Delete).Produces(204)
            .WithName("DeleteDocument").WithSummary("Delete a document")
            .WithDescription("Remove a document while the application is a draft or returned.");
        group.MapPost("/uploads", BeginUpload).Produces<UploadUrlView>(201).RequireRateLimiting(RateLimits.Upload)
            .WithName("BeginDocumentUpload").WithSummary("Begin a direct upload")
            .WithDescription("Direct upload: a write-only URL (valid 15 minutes at most) to PUT one file to.");
        group.MapPost("/{documentId}/commit", Commit).Produces<DocumentView>()
            .WithName("CommitDocumentUpload").WithSummary("Commit a direct upload")
            .WithDescription("Direct upload: validate what was PUT and attach it (the file is deleted if refused).");
    }

    /// <summary>GET /api/document-types?kind=&amp;changeItem=.</summary>
    public static IResult Types(string? kind, string? changeItem, DocumentPolicy policy)
    {
        if (!QueryValues.TryParse(kind, Enum.GetValues<ApplicationKind>(), out var applicationKind))
            return Problems.Invalid(new() { ["kind"] = [$"请指定申请类型：{QueryValues.Names(Enum.GetValues<ApplicationKind>())}"] });
        CertificateChange? change = changeItem switch
        {
            null or "" => null,
            "holderName" => new CertificateChange(HolderName: ""),
            "holderIdNumber" => new CertificateChange(HolderIdNumber: ""),
            "employer" => new CertificateChange(Employer: ""),
            _ => new CertificateChange(),
        };
        if (change is { HolderName: null, HolderIdNumber: null, ChangesEmployer: false } || (change is not null && applicationKind != ApplicationKind.Change))
            return Problems.Invalid(new() { ["changeItem"] = ["变更项只适用于 kind=change，取值为 holderName、holderIdNumber 或 employer"] });
        var required = policy.RequiredFor(applicationKind, change);
        return TypedResults.Ok(Enum.GetValues<DocumentType>().OrderBy(t => !required.Contains(t)).Select(t => new DocumentTypeView(
            t, t.Label(), required.Contains(t), t.AcceptedFormats().Select(f => f.ContentType()).ToList(), policy.MaxBytes)).ToList());
    }

    /// <summary>POST /api/applications/{id}/documents (multipart/form-data).</summary>
    public static async Task<IResult> Upload(string id, HttpContext http, ClaimsPrincipal user, ApplicationStore applications, ApplicationWorkflow workflow,
        DocumentStore documents, DocumentPolicy policy, TimeProvider clock, CancellationToken cancellationToken)
    {
        var actor = Caller.Of(user);
        if (!http.Request.HasFormContentType || !http.Request.ContentType!.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return Problems.Problem(415, "unsupported_media_type", "请以 multipart/form-data 格式上传文件（字段 file 和 type）");
        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = policy.MaxBytes, ValueCountLimit = 16 }, cancellationToken);
        }
        catch (InvalidDataException e) when (e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.From(DocumentRules.TooLarge(policy));
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            // A body that is not the multipart it declares (no boundary where one is promised, a cut-off section).
            return Problems.Problem(400, "invalid_multipart", "上传内容不是有效的 multipart/form-data，请检查后重新上传");
        }
        if (form.Files.Count != 1 || form.Files.GetFile("file") is not { } file)
            return Problems.Invalid(new() { ["file"] = ["请在 file 字段上传一个文件"] });

        MeasuredFile measured;
        await using (var stream = file.OpenReadStream()) measured = await DocumentStore.MeasureAsync(stream, cancellationToken);
        var upload = new DocumentUpload(documents.NewId(), DocumentTypes.TryParse(form["type"], out var type) ? type : null,
            file.FileName, file.ContentType, measured.Size, measured.Format, measured.Sha256,
            form.TryGetValue("certificateNumber", out var line) && !string.IsNullOrWhiteSpace(line) ? line.ToString() : null);
        var command = new ApplicationCommand.AttachDocument(upload, policy, actor, clock.GetUtcNow());

        // Decide before a byte is stored: a refused upload leaves nothing behind.
        var stored = await applications.LoadAsync(id, cancellationToken);
        var decision = ApplicationDecider.Decide(command, stored?.State ?? ApplicationState.Initial);
        if (decision.IsRefused) return Problems.From(decision.Refusal!);
        await using (var stream = file.OpenReadStream())
            await documents.StoreAsync(id, upload.DocumentId, measured.Format!.Value, measured.Sha256, stream, cancellationToken);
        return await AttachAsync(id, command, workflow, documents, cancellationToken);
    }

    /// <summary>GET /api/applications/{id}/documents.</summary>
    public static async Task<IResult> List(string id, ClaimsPrincipal user, ApplicationStore applications, DocumentPolicy policy, CancellationToken cancellationToken)
    {
        var (state, refusal) = await ReadableAsync(id, Caller.Of(user), applications, cancellationToken);
        if (refusal is not null) return refusal;
        // Once purged, nothing is missing: the application is closed and its documents are gone on purpose.
        return TypedResults.Ok(new DocumentListView(state!.Documents.Select(DocumentView.Of).ToList(),
            policy.RequiredFor(state.Kind, state.Details.Changes, state.Details.SocialInsuranceException == true), state.DocumentsPurgedAt is null ? policy.MissingFor(state) : [],
            state.DocumentsPurgedAt, state.DocumentsPurgedAt is null ? null : state.PurgedDocuments.Select(DocumentView.Of).ToList(),
            state.Kind == ApplicationKind.BatchReissue && state.DocumentsPurgedAt is null ? BatchReissue.Missing(state, policy).Photos : null));
    }

    /// <summary>
    /// GET /api/applications/{id}/documents/{documentId}: the bytes, streamed by the API rather
    /// than a redirect to a SAS URL, so every read of an ID card is authorised and no bearer URL
    /// to it ever leaves the server (see ADR 0002). Documents kept as evidence of an earlier round
    /// are readable too; a document purged at the end of the retention period is 410 Gone. A
    /// reviewer's or admin's opening is recorded in the history before a byte is served (the
    /// decider's OpenDocument); the applicant's own are not.
    /// </summary>
    public static async Task<IResult> Open(string id, string documentId, HttpContext http, ClaimsPrincipal user, ApplicationWorkflow workflow,
        DocumentStore documents, TimeProvider clock, CancellationToken cancellationToken)
    {
        var actor = Caller.Of(user);
        var result = await workflow.RecordOpeningAsync(id, new ApplicationCommand.OpenDocument(documentId, actor, clock.GetUtcNow()), cancellationToken);
        if (result.Refusal is not null) return Problems.From(result.Refusal);
        var document = result.Application!.State.Document(documentId)!;
        var content = await documents.OpenAsync(id, documentId, cancellationToken);
        var disposition = new ContentDispositionHeaderValue("inline");
        disposition.SetHttpFileName(document.FileName); // filename (ASCII fallback) and filename* (RFC 5987, UTF-8)
        var headers = http.Response.Headers;
        headers.ContentDisposition = disposition.ToString();
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "private, no-store";
        headers.ETag = $"\"{document.Sha256}\"";
        http.Response.ContentLength = document.Size;
        return TypedResults.Stream(content, document.Format.ContentType());
    }

    /// <summary>DELETE /api/applications/{id}/documents/{documentId}.</summary>
    public static async Task<IResult> Delete(string id, string documentId, ClaimsPrincipal user, ApplicationWorkflow workflow, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var actor = Caller.Of(user);
        var result = await workflow.ExecuteAsync(id, _ => Task.FromResult<ApplicationCommand>(
            new ApplicationCommand.RemoveDocument(documentId, actor, clock.GetUtcNow())), null, cancellationToken);
        return result.Refusal is not null ? Problems.From(result.Refusal) : TypedResults.NoContent();
    }

    /// <summary>POST /api/applications/{id}/documents/uploads.</summary>
    public static async Task<IResult> BeginUpload(string id, BeginUploadRequest request, ClaimsPrincipal user, ApplicationStore applications,
        DocumentStore documents, DocumentPolicy policy, IOptions<DocumentsOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var actor = Caller.Of(user);
        var stored = await applications.LoadAsync(id, cancellationToken);
        if (stored is null || stored.State.Status == ApplicationStatus.None || !AccessRules.CanView(actor, stored.State))
            return Problems.Problem(404, "application_not_found", "申请不存在");
        if (DocumentRules.CheckChange(actor, stored.State) is { } refusal) return Problems.From(refusal);
        var (fileName, invalid) = DocumentRules.CheckDeclared(request.Type, request.FileName, request.Size ?? 0, policy);
        if (invalid is not null) return Problems.From(invalid);
        // The line a batch reissue's photo is for is checked now too, before any byte arrives.
        var declared = new DocumentUpload("", request.Type, fileName, null, request.Size ?? 0, null, "", request.CertificateNumber);
        if (BatchReissue.CheckDocumentLine(stored.State, declared).Refusal is { } noLine) return Problems.From(noLine);

        var now = clock.GetUtcNow();
        var inFlight = 0;
        foreach (var pending in await documents.PendingUploadsAsync(id, cancellationToken))
        {
            if (pending.ExpiresAt >= now) inFlight++;
            else await documents.DiscardUploadAsync(id, pending.DocumentId, cancellationToken); // abandoned
        }
        if (DocumentRules.CheckRoom(stored.State, policy, inFlight) is { } full) return Problems.From(full);
        var documentId = documents.NewId();
        var expiresAt = now + options.Value.UploadUrlLifetime;
        await documents.AddPendingAsync(id, new PendingUpload(documentId, request.Type!.Value, fileName, request.Size!.Value, expiresAt, request.CertificateNumber), cancellationToken);
        var url = await documents.UploadUrlAsync(id, documentId, expiresAt, cancellationToken);
        var commitUrl = $"/api/applications/{id}/documents/{documentId}/commit";
        return TypedResults.Created(commitUrl, new UploadUrlView(documentId, url, "PUT",
            new Dictionary<string, string> { ["x-ms-blob-type"] = "BlockBlob" }, expiresAt, policy.MaxBytes, commitUrl));
    }

    /// <summary>POST /api/applications/{id}/documents/{documentId}/commit.</summary>
    public static async Task<IResult> Commit(string id, string documentId, ClaimsPrincipal user, ApplicationStore applications, ApplicationWorkflow workflow,
        DocumentStore documents, DocumentPolicy policy, TimeProvider clock, CancellationToken cancellationToken)
    {
        var actor = Caller.Of(user);
        var stored = await applications.LoadAsync(id, cancellationToken);
        if (stored is null || stored.State.Status == ApplicationStatus.None || !AccessRules.CanView(actor, stored.State))
            return Problems.Problem(404, "application_not_found", "申请不存在");
        if (!AccessRules.IsFiler(actor, stored.State)) return Problems.From(DocumentRules.CheckChange(actor, stored.State)!);
        if (!DocumentStore.IsWellFormedId(documentId)) return UploadNotFound();
        var pending = await documents.GetPendingAsync(id, documentId, cancellationToken);
        if (pending is null)
            return stored.State.Document(documentId) is { } done ? TypedResults.Ok(DocumentView.Of(done)) : UploadNotFound();

        var now = clock.GetUtcNow();
        if (pending.ExpiresAt < now)
        {
            await documents.DiscardUploadAsync(id, documentId, cancellationToken);
            return Problems.Problem(409, "upload_expired", "上传地址已过期，请重新申请上传");
        }
        var staged = await documents.ReadUploadAsync(id, documentId, policy.MaxBytes, cancellationToken);
        if (staged is null) return Problems.Problem(409, "upload_missing", "尚未收到文件：请先按上传地址以 PUT 上传文件，再提交");
        var measured = DocumentStore.Measure(staged.Content);
        var upload = new DocumentUpload(documentId, pending.Type, pending.FileName, null, staged.Size, measured.Format, measured.Sha256, pending.CertificateNumber);
        var command = new ApplicationCommand.AttachDocument(upload, policy, actor, now);
        var decision = ApplicationDecider.Decide(command, stored.State);
        if (decision.IsRefused || decision.Events.Count == 0)
        {
            // Refused, or committed before and only the clean-up is left to do.
            await documents.DiscardUploadAsync(id, documentId, cancellationToken);
            return decision.IsRefused ? Problems.From(decision.Refusal!) : TypedResults.Ok(DocumentView.Of(stored.State.Document(documentId)!));
        }
        // The validated bytes, not whatever the URL may still write, become the document.
        using (var content = new MemoryStream(staged.Content, writable: false))
            await documents.StoreAsync(id, documentId, measured.Format!.Value, measured.Sha256, content, cancellationToken);
        var result = await AttachAsync(id, command, workflow, documents, cancellationToken);
        await documents.DiscardUploadAsync(id, documentId, CancellationToken.None);
        return result;
    }

    /// <summary>Commits an attachment whose bytes are stored; removes them again when it is refused after all (a race with a submission).</summary>
    private static async Task<IResult> AttachAsync(string id, ApplicationCommand.AttachDocument command, ApplicationWorkflow workflow, DocumentStore documents,
        CancellationToken cancellationToken)
    {
        var documentId = command.Upload.DocumentId;
        WorkflowResult result;
        try
        {
            result = await workflow.ExecuteAsync(id, _ => Task.FromResult<ApplicationCommand>(command), null, cancellationToken);
        }
        catch
        {
            await documents.DeleteAsync(id, documentId, CancellationToken.None);
            throw;
        }
        if (result.Refusal is not null)
        {
            await documents.DeleteAsync(id, documentId, CancellationToken.None);
            return Problems.From(result.Refusal);
        }
        var document = result.Application!.State.Document(documentId)!;
        return TypedResults.Created($"/api/applications/{id}/documents/{documentId}", DocumentView.Of(document));
    }

    /// <summary>The state of an application whose documents the caller may read, or the refusal: 404 when they may not even see it.</summary>
    private static async Task<(ApplicationState? State, IResult? Refusal)> ReadableAsync(string id, Actor actor, ApplicationStore applications,
        CancellationToken cancellationToken)
    {
        var stored = await applications.LoadAsync(id, cancellationToken);
        if (stored is null || stored.State.Status == ApplicationStatus.None || !AccessRules.CanView(actor, stored.State))
            return (null, Problems.Problem(404, "application_not_found", "申请不存在"));
        if (!AccessRules.CanReadDocuments(actor, stored.State))
            return (null, Problems.From(DocumentRules.NotReadable));
        return (stored.State, null);
    }

    private static IResult UploadNotFound() => Problems.Problem(404, "upload_not_found", "上传记录不存在或已失效，请重新申请上传");
}
