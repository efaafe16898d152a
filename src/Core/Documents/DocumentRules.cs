using System.Globalization;
using FuncRegistry.Core.Applications;

namespace FuncRegistry.Core.Documents;

/// <summary>
/// Who may attach or remove documents and when, and what a file must be to become one. Used by
/// the decider and, before any byte is stored, by the direct-upload path.
/// </summary>
public static class DocumentRules
{
    /// <summary>The refusal of a caller who may not read an application's documents (<see cref="AccessRules.CanReadDocuments"/>).</summary>
    public static Refusal NotReadable { get; } = new(RefusalKind.Forbidden, "documents_not_readable",
        "材料只向申请人、当前审核环节的审核人员，以及办结后（已通过或已撤回）的本市州、省级审核人员和管理员开放");

    /// <summary>Longest file name kept (characters).</summary>
    public const int MaxFileNameLength = 100;

    /// <summary>
    /// One more document fits when the application holds fewer than <see cref="DocumentPolicy.MaxDocumentsFor"/>,
    /// counting <paramref name="inFlight"/> direct uploads not yet committed.
    /// </summary>
    public static Refusal? CheckRoom(ApplicationState state, DocumentPolicy policy, int inFlight = 0) =>
        policy.MaxDocumentsFor(state) is var max && state.Documents.Count + inFlight < max ? null
            : new Refusal(RefusalKind.RuleViolated, "too_many_documents", $"每个申请最多保留{max}份材料，请先删除不需要的材料");

    /// <summary>Documents change only by the filer, only while the application is a draft or returned.</summary>
    public static Refusal? CheckChange(Actor actor, ApplicationState state)
    {
        if (!AccessRules.IsFiler(actor, state))
            return new Refusal(RefusalKind.Forbidden, "not_applicant", "只有提出该申请的持证人或企业可以上传或删除材料");
        if (!state.Status.IsEditable())
            return new Refusal(RefusalKind.Conflict, "application_not_editable",
                $"申请当前状态为“{state.Status.Label()}”，不能上传或删除材料；已提交的材料作为审核依据保留");
        return null;
    }

    /// <summary>
    /// What can be checked before the bytes arrive (the direct-upload path): the type, the file
    /// name, and the announced size. Returns the file name as it will be kept.
    /// </summary>
    public static (string FileName, Refusal? Refusal) CheckDeclared(DocumentType? type, string? fileName, long size, DocumentPolicy policy)
    {
        if (size > policy.MaxBytes) return ("", TooLarge(policy));
        var errors = new Dictionary<string, string[]>();
        var name = CheckFileName(fileName, errors);
        CheckType(type, errors);
        if (size <= 0) Add(errors, "size", "请填写文件大小（字节），文件不能为空");
        if (type is { } t && name is not null && FileNameFormats(name) is { } named && !named.Intersect(t.AcceptedFormats()).Any())
            Add(errors, "fileName", $"{t.Label()}只接受{Formats(t.AcceptedFormats())}，文件扩展名不符");
        return (name ?? "", errors.Count > 0 ? Invalid(errors) : null);
    }

    /// <summary>
    /// Judges a received file: by its content (magic bytes), never by its name or declared type.
    /// A name or declared type that says otherwise than the content is refused as well: such a
    /// file is a mistake or a disguise, and a reviewer opening it must get what it says it is.
    /// </summary>
    public static (AttachedDocument? Document, Refusal? Refusal) Check(DocumentUpload upload, DocumentPolicy policy, DateTimeOffset at)
    {
        if (upload.Size > policy.MaxBytes) return (null, TooLarge(policy));
        var errors = new Dictionary<string, string[]>();
        var name = CheckFileName(upload.FileName, errors);
        CheckType(upload.Type, errors);
        if (upload.Size <= 0) Add(errors, "file", "文件为空");
        else if (upload.Format is not { } format)
            Add(errors, "file", "文件内容不是JPEG、PNG图片或PDF文件（按文件内容识别，与文件名和声明的类型无关）");
        else
        {
            if (upload.Type is { } type && !type.AcceptedFormats().Contains(format))
                Add(errors, "file", $"{type.Label()}只接受{Formats(type.AcceptedFormats())}，该文件内容为{format.Label()}");
            var declared = upload.DeclaredContentType?.Split(';')[0].Trim();
            if (!string.IsNullOrEmpty(declared) && !declared.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase)
                && DocumentFormats.OfContentType(declared) != format)
                Add(errors, "file", $"文件内容为{format.Label()}，与声明的类型“{declared}”不符");
            if (name is not null && DocumentFormats.ExtensionOf(name) is { } ext && !format.Extensions().Contains(ext))
                Add(errors, "fileName", $"文件内容为{format.Label()}，扩展名却是“.{ext}”，请核对后重新选择文件");
        }
        if (errors.Count > 0) return (null, Invalid(errors));
        return (new AttachedDocument(upload.DocumentId, upload.Type!.Value, name!, upload.Format!.Value, upload.Size, upload.Sha256, at), null);
    }

    /// <summary>
    /// A file name is display text only (blob names are the server's): no path, no control or
    /// direction-override characters, at most <see cref="MaxFileNameLength"/> characters. Returns
    /// the trimmed name, or null after adding the problem to <paramref name="errors"/>.
    /// </summary>
    private static string? CheckFileName(string? fileName, Dictionary<string, string[]> errors)
    {
        var name = fileName?.Trim();
        string? problem =
            string.IsNullOrEmpty(name) ? "请提供文件名"
            : name.Length > MaxFileNameLength ? $"文件名不能超过{MaxFileNameLength}个字符"
            : name.Contains('/') || name.Contains('\\') || name is "." or ".." ? "文件名不能包含路径（“/”“\\”或“..”）"
            : name.Any(IsControl) ? "文件名不能包含控制字符"
            : null;
        if (problem is null) return name;
        Add(errors, "fileName", problem);
        return null;
    }

    // Cc (C0/C1 controls) and Cf (format characters such as U+202E, which can make "gnp.exe" look like "exe.png").
    private static bool IsControl(char c) => char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format;

    private static void CheckType(DocumentType? type, Dictionary<string, string[]> errors)
    {
        if (type is null)
            Add(errors, "type", "请选择材料类型：" + string.Join("、", Enum.GetValues<DocumentType>().Select(t => $"{t.Code()}（{t.Label()}）")));
    }

    /// <summary>The formats a file name's extension names, or null when it has no extension.</summary>
    private static IReadOnlyList<DocumentFormat>? FileNameFormats(string name) =>
        DocumentFormats.ExtensionOf(name) is { } ext ? Enum.GetValues<DocumentFormat>().Where(f => f.Extensions().Contains(ext)).ToList() : null;

    private static string Formats(IEnumerable<DocumentFormat> formats) => string.Join("、", formats.Select(f => f.Label()));

    /// <summary>The refusal of a file over the limit (413).</summary>
    public static Refusal TooLarge(DocumentPolicy policy) =>
        new(RefusalKind.TooLarge, "file_too_large", $"文件超过大小限制（最大{policy.MaxBytes / 1024.0 / 1024.0:0.#}MB），请压缩或缩小后再上传");

    private static Refusal Invalid(Dictionary<string, string[]> errors) =>
        new(RefusalKind.Invalid, "invalid_document", "文件不符合要求：" + string.Join("；", errors.SelectMany(e => e.Value)), errors);

    private static void Add(Dictionary<string, string[]> errors, string field, string message) =>
        errors[field] = [.. errors.GetValueOrDefault(field) ?? [], message];
}
