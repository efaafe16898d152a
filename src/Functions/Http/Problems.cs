using FuncRegistry.Core.Applications;

namespace FuncRegistry.Functions.Http;

/// <summary>
/// Every error as RFC 9457 problem+json with a stable <c>code</c> and a message a Chinese
/// user understands. The one place refusals become HTTP statuses.
/// </summary>
public static class Problems
{
    /// <summary>The status a refusal kind maps to.</summary>
    public static int StatusOf(RefusalKind kind) => kind switch
    {
        RefusalKind.Invalid => StatusCodes.Status400BadRequest,
        RefusalKind.Forbidden => StatusCodes.Status403Forbidden,
        RefusalKind.NotFound => StatusCodes.Status404NotFound,
        RefusalKind.Conflict => StatusCodes.Status409Conflict,
        RefusalKind.Stale => StatusCodes.Status412PreconditionFailed,
        RefusalKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        RefusalKind.Gone => StatusCodes.Status410Gone,
        _ => StatusCodes.Status422UnprocessableEntity,
    };

    /// <summary>A refusal as problem+json.</summary>
    public static IResult From(Refusal refusal) => Problem(StatusOf(refusal.Kind), refusal.Code, refusal.Message, refusal.Errors,
        refusal.Extensions?.ToDictionary(e => e.Key, e => (object?)e.Value));

    /// <summary>The problem type URI of a code (the same for every answer with that code).</summary>
    public static string TypeOf(string code) => $"https://funcregistry.example/problems/{code}";

    /// <summary>A problem+json response.</summary>
    public static IResult Problem(int status, string code, string message, IReadOnlyDictionary<string, string[]>? errors = null,
        IDictionary<string, object?>? extensions = null)
    {
        var ext = new Dictionary<string, object?> { ["code"] = code };
        if (errors is not null) ext["errors"] = errors;
        if (extensions is not null) foreach (var (k, v) in extensions) ext[k] = v;
        return TypedResults.Problem(detail: message, statusCode: status, title: TitleOf(status), type: TypeOf(code), extensions: ext);
    }

    /// <summary>400 for field errors found before the domain is asked.</summary>
    public static IResult Invalid(Dictionary<string, string[]> errors) => From(Refusal.InvalidFields(errors));

    /// <summary>Chinese titles of the statuses we answer with.</summary>
    public static string TitleOf(int status) => status switch
    {
        400 => "请求有误",
        401 => "未登录或登录已过期",
        403 => "无权操作",
        404 => "未找到",
        405 => "不支持的请求方法",
        409 => "状态冲突",
        410 => "已不存在",
        412 => "数据已被修改",
        413 => "请求内容过大",
        415 => "不支持的内容类型",
        422 => "不符合办理规则",
        429 => "请求过于频繁",
        _ => "服务器内部错误",
    };

    /// <summary>
    /// What a 415 tells the client to send: the content types the endpoint accepts where they are
    /// known. Routing itself answers 415 when a request's type matches no endpoint's declared one,
    /// and then no endpoint is known: the message names each of the API's body types.
    /// </summary>
    public static string UnsupportedMediaType(Endpoint? endpoint) =>
        endpoint?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.ContentTypes is { Count: > 0 } accepted
            ? $"不支持的内容类型，请以 {string.Join(" 或 ", accepted)} 格式发送请求"
            : "不支持的内容类型：上传材料请用 multipart/form-data，导入证书请用 text/csv，其余请求请用 application/json";

    /// <summary>Default codes and messages for statuses produced by the framework (401 from authentication, 404 of an unknown route…).</summary>
    public static (string Code, string Message) DefaultFor(int status) => status switch
    {
        400 => ("bad_request", "请求格式不正确"),
        401 => ("unauthenticated", "请先登录（缺少或无效的访问令牌）"),
        403 => ("forbidden", "您的角色无权进行此操作"),
        404 => ("not_found", "请求的地址或资源不存在"),
        405 => ("method_not_allowed", "该地址不支持此请求方法"),
        413 => ("payload_too_large", "请求内容过大"),
        415 => ("unsupported_media_type", UnsupportedMediaType(null)),
        _ => ("server_error", "服务器内部错误，请稍后重试"),
    };
}
