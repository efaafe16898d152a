namespace FuncRegistry.Core.Applications;

/// <summary>How a refusal maps to HTTP: the mapping lives in one place in the Functions app.</summary>
public enum RefusalKind
{
    /// <summary>Malformed or invalid input (400).</summary>
    Invalid,
    /// <summary>The caller may not do this (403).</summary>
    Forbidden,
    /// <summary>The thing does not exist or is not visible to the caller (404).</summary>
    NotFound,
    /// <summary>The current state does not allow it (409).</summary>
    Conflict,
    /// <summary>Well-formed but breaks a business rule (422).</summary>
    RuleViolated,
    /// <summary>The caller edited a version that is no longer current (412).</summary>
    Stale,
    /// <summary>A file larger than the limit (413).</summary>
    TooLarge,
    /// <summary>It existed and was removed on purpose, e.g. documents purged at the end of retention (410).</summary>
    Gone,
}

/// <summary>
/// Why a command was refused: a stable <paramref name="Code"/> portals can switch on and a
/// message a Chinese user understands. <paramref name="Errors"/> lists every field problem at once (一次告知);
/// <paramref name="Extensions"/> are further members of the problem, e.g. <c>missingDocumentTypes</c>.
/// </summary>
public sealed record Refusal(RefusalKind Kind, string Code, string Message, IReadOnlyDictionary<string, string[]>? Errors = null,
    IReadOnlyDictionary<string, object>? Extensions = null)
{
    /// <summary>An invalid-input refusal listing field errors.</summary>
    public static Refusal InvalidFields(IReadOnlyDictionary<string, string[]> errors) =>
        new(RefusalKind.Invalid, "validation_failed", "提交的信息有误，请按提示修改：" + string.Join("；", errors.SelectMany(e => e.Value)), errors);
}
