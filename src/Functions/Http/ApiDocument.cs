using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace FuncRegistry.Functions.Http;

/// <summary>
/// The OpenAPI document as a portal developer needs it: each operation's success body (declared
/// with <c>Produces</c> where it is mapped), every error as <c>application/problem+json</c> with
/// its stable <c>code</c>, the bearer token only where one is required, and request fields that
/// are optional in JSON (the API reports missing ones as field problems) not marked required.
/// </summary>
public static class ApiDocument
{
    private const string Problem = "Problem";
    private const string Bearer = "Bearer";

    /// <summary>Adds the document and its transformers.</summary>
    public static IServiceCollection AddApiDocument(this IServiceCollection services) => services.AddOpenApi(o =>
    {
        o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "FuncRegistry API";
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
            return Task.CompletedTask;
        });
        o.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            operation.Responses ??= new OpenApiResponses();
            operation.Responses["default"] = new OpenApiResponse
            {
                Description = "错误：application/problem+json，code 为稳定的错误码，detail 为中文说明，字段问题在 errors 中",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(Problem, context.Document) },
                },
            };
            if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, context.Document)] = [] }];
            return Task.CompletedTask;
        });
        o.AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonTypeInfo.Type.Name.EndsWith("Request", StringComparison.Ordinal)) schema.Required?.Clear();
            return Task.CompletedTask;
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
                query.Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Enum = allowed.Select(v => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(v.ToString()))!).ToList(),
                };
            return Task.CompletedTask;
        });

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
