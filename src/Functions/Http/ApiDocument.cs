using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace FuncRegistry.Functions.Http;

/// <summary>
/// The OpenAPI document as a portal developer needs it, fit for client generators: each operation's
/// success body (declared with <c>Produces</c> where it is mapped) and its operationId, summary and
/// description (set where it is mapped: <c>WithName</c> — the Azure Functions function name to be —,
/// <c>WithSummary</c>, <c>WithDescription</c>); every error as <c>application/problem+json</c> with
/// its stable <c>code</c>; the bearer token where one is required and an explicit empty
/// requirement where none is; request fields that are optional in JSON (the API reports missing
/// ones as field problems) not marked required. docs/openapi.json is this document as committed.
/// </summary>
public static class ApiDocument
{
    private const string Problem = "Problem";
    private const string Bearer = "Bearer";

    /// <summary>Every tag an endpoint uses, with its description (a tag missing here fails the document's test).</summary>
    private static readonly Dictionary<string, string> Tags = new()
    {
        ["Applications"] = "申请：持证人或企业填报、修改、提交、撤回 — applications filed, edited, submitted and withdrawn",
        ["Reviews"] = "审核：市州、省级两级审核、审核链接、延期 — city and province review, review links, deadline extension",
        ["Documents"] = "材料：申请所附的扫描件 — the scans attached to an application",
        ["Certificates"] = "证书：查询持证人的证书 — certificates of the register",
        ["Enterprises"] = "企业：企业信息与证书花名册（查询、导出） — enterprises and the certificates they employ (roster, export)",
        ["Admin"] = "管理：导入证书库、登记企业、重建计时、重发短信 — register import, enterprise records, timers, SMS resend",
        ["Public notices"] = "公示：审批公示名单与异议（无需登录） — what is under public notice, and objections to it (no sign-in)",
        ["Health"] = "健康检查 — liveness",
        ["Development only"] = "仅开发环境：开发令牌、诊断、本地短信记录 — Development environment only: tokens, diagnostics, recorded SMS",
    };

    /// <summary>Adds the document and its transformers.</summary>
    public static IServiceCollection AddApiDocument(this IServiceCollection services) => services.AddOpenApi(o =>
    {
        o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "FuncRegistry API";
            document.Info.Contact = new OpenApiContact { Name = "FuncRegistry 开发组 (the FuncRegistry team)" };
            // Generators join the server URL and the paths (which start with '/'): no trailing slash.
            foreach (var server in document.Servers ?? []) server.Url = server.Url?.TrimEnd('/');
            document.Tags = new HashSet<OpenApiTag>(document.Tags?.Select(t => new OpenApiTag
            {
                Name = t.Name,
                Description = t.Name is { } name && Tags.TryGetValue(name, out var description) ? description : null,
            }) ?? []);
            document.Info.Description = "持证人证书业务申请与市州、省级两级审核 — certificate applications with two-level review. "
                + "Every error is application/problem+json with a stable `code` and a Chinese `detail`; field problems are listed under `errors`.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT",
                Description = "Development: POST /api/dev/tokens. Production: a token of the configured OIDC authority.",
            };
            document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
            document.Components.Schemas[Problem] = ProblemSchema();
            document.Components.Responses ??= new Dictionary<string, IOpenApiResponse>();
            document.Components.Responses[Problem] = new OpenApiResponse
            {
                Description = "错误：application/problem+json，code 为稳定的错误码，detail 为中文说明，字段问题在 errors 中",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(Problem, document) },
                },
            };
            return Task.CompletedTask;
        });
        o.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            operation.Responses ??= new OpenApiResponses();
            // One problem response: named for the client errors (generators type 4XX apart) and as the default for the rest.
            operation.Responses["4XX"] = new OpenApiResponseReference(Problem, context.Document);
            operation.Responses["default"] = new OpenApiResponseReference(Problem, context.Document);
            // An empty requirement says "no token" outright, rather than leaving it to a global default.
            operation.Security = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any()
                ? [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, context.Document)] = [] }]
                : [];
            return Task.CompletedTask;
        });
        o.AddSchemaTransformer(async (schema, context, cancellationToken) =>
        {
            var type = context.JsonTypeInfo.Type;
            if (type.Name.EndsWith("Request", StringComparison.Ordinal)) schema.Required?.Clear();
            // Our enum converter (StrictEnumConverter) is opaque to the schema exporter, which left every
            // enum schema empty and every list of one without items — typed as unknown by generators:
            // name the values as the API writes them, and what such a list holds.
            if ((Nullable.GetUnderlyingType(type) ?? type) is { IsEnum: true } enumType && schema.Enum is not { Count: > 0 })
            {
                schema.Type = JsonSchemaType.String;
                schema.Enum = EnumValues(Enum.GetValues(enumType).Cast<Enum>());
            }
            if (schema.Type is { } kind && kind.HasFlag(JsonSchemaType.Array) && schema.Items is null && context.JsonTypeInfo.ElementType is { } element)
                schema.Items = await context.GetOrCreateSchemaAsync(element, cancellationToken: cancellationToken);
        });
    });

    /// <summary>
    /// Documents a query parameter taken as text (so that any letter case binds) with the values
    /// it accepts, as the API writes them.
    /// </summary>
    public static RouteHandlerBuilder WithQueryChoices<T>(this RouteHandlerBuilder builder, string parameter, IReadOnlyCollection<T> allowed) where T : struct, Enum =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.Parameters?.FirstOrDefault(p => p.Name == parameter) is OpenApiParameter query)
                query.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = EnumValues(allowed.Cast<Enum>()) };
            return Task.CompletedTask;
        });

    /// <summary>
    /// Documents a second representation of the success body, chosen with <c>Accept</c> (e.g. a CSV
    /// export beside the JSON page): a second <c>Produces</c> for the same status would replace the first.
    /// </summary>
    public static RouteHandlerBuilder AlsoProduces(this RouteHandlerBuilder builder, string contentType, string description) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse response)
            {
                response.Content ??= new Dictionary<string, OpenApiMediaType>();
                response.Content[contentType] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = description } };
            }
            return Task.CompletedTask;
        });

    /// <summary>Enum members as the API reads and writes them (camelCase, as <see cref="StrictEnumConverter"/>).</summary>
    private static List<System.Text.Json.Nodes.JsonNode> EnumValues(IEnumerable<Enum> members) =>
        members.Select(v => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(v.ToString()))!).ToList();

    private static OpenApiSchema ProblemSchema()
    {
        static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { "status", "code", "detail" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = Text("https://funcregistry.example/problems/{code}"),
                ["title"] = Text("状态的中文标题"),
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "HTTP status" },
                ["detail"] = Text("给用户看的中文说明"),
                ["code"] = Text("稳定的错误码，例如 validation_failed、application_not_found、certificate_has_open_application"),
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object, Description = "字段问题：字段路径 → 中文说明（一次列出全部）",
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
            },
        };
    }
}
