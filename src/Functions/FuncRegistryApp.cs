using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Certificates;
using FuncRegistry.Core.Notifications;
using FuncRegistry.Functions.Applications;
using FuncRegistry.Functions.Auth;
using FuncRegistry.Functions.Certificates;
using FuncRegistry.Functions.Deadlines;
using FuncRegistry.Functions.Dev;
using FuncRegistry.Functions.Documents;
using FuncRegistry.Functions.Enterprises;
using FuncRegistry.Functions.Hosting;
using FuncRegistry.Functions.Http;
using FuncRegistry.Functions.Outbox;
using FuncRegistry.Functions.PublicNotices;
using FuncRegistry.Functions.Phones;
using FuncRegistry.Functions.Reviews;
using FuncRegistry.Functions.Security;
using FuncRegistry.Functions.Storage;
using FuncRegistry.Functions.Workflow;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace FuncRegistry.Functions;

/// <summary>Wires the app: services, then the HTTP pipeline and endpoints.</summary>
public static class FuncRegistryApp
{
    /// <summary>Registers everything the app needs (the worker's and the development host's builder alike).</summary>
    public static IHostApplicationBuilder AddFuncRegistry(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;
        builder.AddHosting();
        services.Configure<StorageOptions>(config.GetSection("Storage"));
        services.Configure<AuthOptions>(config.GetSection("Auth"));
        services.Configure<RegistryOptions>(config.GetSection("Registry"));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<RegistryOptions>>().Value.ToProfile());
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<RegistryOptions>>().Value.ToExtensionWindow());
        services.Configure<WorkflowOptions>(config.GetSection("Workflow"));
        services.AddSingleton(_ => WorkflowSettings.Read(config));
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<RegistryOptions>>().Value;
            return new ReactionSettings(new SmsComposer(o.SmsSignature, o.SmsMaxSegments), o.ExtensionYears, ReissueNumberFormat.Parse(o.ReissueNumberFormat));
        });

        services.AddSingleton<StorageRequestCounter>();
        services.AddSingleton<StorageAccount>();
        services.AddSingleton<ApplicationStore>();
        services.AddSingleton<ApplicationCache>();
        services.AddSingleton<CertificateStore>();
        services.AddSingleton<EnterpriseStore>();
        services.AddSingleton<EnterpriseClaims>();
        services.AddSingleton<Enterprises.EnterpriseChangeEffect>();
        services.AddSingleton<ApplicationIndex>();
        services.AddSingleton<IdempotencyStore>();
        services.AddSingleton<ApplicationWorkflow>();
        services.AddOptions<DurableOptions>().Bind(config.GetSection("Durable"));
        services.AddSingleton<ReviewWork>();
        services.AddSingleton<ReviewOrchestrations>();
        services.AddSingleton<CertificateImport>();
        services.AddDocuments(config);
        services.AddHostedService<StorageInitializer>();
        services.AddOutbox(config);
        services.AddReviewClock(config);
        services.AddElectronicCertificates(config);
        services.AddPublicNotices();
        services.AddPhoneVerification();
        services.AddReviewWorkbench();

        services.ConfigureHttpJsonOptions(o => Json.Configure(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            var status = ctx.ProblemDetails.Status ?? 500;
            if (!ctx.ProblemDetails.Extensions.ContainsKey("code"))
            {
                // A status the framework answered by itself (status code pages): the same shape as ours.
                var (code, message) = Problems.DefaultFor(status);
                ctx.ProblemDetails.Extensions["code"] = code;
                ctx.ProblemDetails.Detail ??= status == 415 ? Problems.UnsupportedMediaType(ctx.HttpContext.GetEndpoint()) : message; // the endpoint's types where known
                ctx.ProblemDetails.Type = Problems.TypeOf(code);
            }
            ctx.ProblemDetails.Title = Problems.TitleOf(status);
            ctx.ProblemDetails.Extensions.Remove("traceId");
            ctx.ProblemDetails.Extensions.Remove("exception");
        });

        services.AddSecurity(config, builder.Environment);
        services.AddApiDocument();
        services.AddSingleton<HttpFunctions>();
        return builder;
    }

    /// <summary>
    /// Refuses to start on a bad or unsafe configuration (every setting checked, all problems named
    /// at once). Both hosts call it after building, before they serve.
    /// </summary>
    public static IServiceProvider CheckAtStartup(this IServiceProvider services)
    {
        services.ValidateSettings();
        _ = services.GetRequiredService<WorkflowPolicy>(); // the review routes: a bad one stops the start
        SecuritySetup.ValidateAtStartup(services, services.GetRequiredService<IHostEnvironment>());
        _ = services.GetRequiredService<HttpFunctions>(); // builds the endpoints and the pipeline now, not on the first request
        return services;
    }

    /// <summary>
    /// The middleware every HTTP function runs through (<see cref="HttpFunctions"/>): errors as
    /// problem+json, then security. The endpoint is chosen before it runs, by the function.
    /// </summary>
    public static IApplicationBuilder UseFuncRegistryPipeline(this IApplicationBuilder app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = WriteUnhandledProblem,
            // A client's bad request is answered with a 4xx, not logged as our failure (its
            // message may quote what the client sent, personal data included).
            SuppressDiagnosticsCallback = c => c.Exception is BadHttpRequestException,
        });
        app.UseStatusCodePages();
        app.UseSecurity();
        return app;
    }

    /// <summary>
    /// Every operation of the API as a minimal-API endpoint: route, binding, authorisation, rate
    /// limit and the metadata the OpenAPI document is generated from. Each is run by the HTTP
    /// function of the same name (<see cref="HttpFunctions"/>); the document generator maps them as
    /// they are (ApiDocumentTests).
    /// </summary>
    public static IEndpointRouteBuilder MapFuncRegistry(this IEndpointRouteBuilder app, IHostEnvironment environment)
    {
        app.MapGet("/openapi/v1.json", ServedApiDocument.Get).ExcludeFromDescription().AllowAnonymous().WithName("GetOpenApiDocument");
        app.MapScalarApiReference("/api/docs", o => o.WithTitle("FuncRegistry API").WithOpenApiRoutePattern("/openapi/v1.json"));
        app.MapGet("/api/health", () => TypedResults.Ok(new HealthStatus("ok"))).WithTags("Health").AllowAnonymous()
            .WithName("GetHealth").WithSummary("Check health").WithDescription("Answers {status: ok} while the app runs; no token needed.");
        app.MapApplicationsApi();
        app.MapReviewsApi();
        app.MapCertificatesApi();
        app.MapEnterprisesApi();
        app.MapOutbox();
        app.MapReviewClock();
        app.MapOrchestrationsApi();
        app.MapDocumentsApi();
        app.MapSecurityApi();
        app.MapElectronicCertificatesApi();
        app.MapApplicationFormApi();
        app.MapPublicNoticesApi();
        app.MapPhoneVerificationsApi();
        app.MapCommitmentsApi();
        if (environment.IsDevelopment()) app.MapDevApi();
        return app;
    }

    /// <summary>
    /// Malformed JSON and unbindable values are the client's fault (400; a wrong field or value in
    /// valid JSON is named as a field problem); anything else is ours (500, details only in logs).
    /// </summary>
    private static async Task WriteUnhandledProblem(HttpContext http)
    {
        var error = http.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (error is BadHttpRequestException { InnerException: System.Text.Json.JsonException jsonError } && JsonFieldProblems.Of(jsonError) is { } field)
        {
            await Problems.Invalid(new() { [field.Field] = [field.Message] }).ExecuteAsync(http);
            return;
        }
        var (status, code, message) = error switch
        {
            BadHttpRequestException { InnerException: System.Text.Json.JsonException json } =>
                (400, "malformed_json", $"请求内容不是有效的JSON，或字段取值无效（位置：{json.Path ?? "$"}）"),
            BadHttpRequestException b when b.StatusCode == 413 => (413, "payload_too_large", "请求内容过大"),
            BadHttpRequestException b when b.StatusCode == 415 => (415, "unsupported_media_type", Problems.UnsupportedMediaType(http.Features.Get<IExceptionHandlerFeature>()?.Endpoint)),
            BadHttpRequestException => (400, "bad_request", "请求格式不正确：缺少请求体或参数取值无效"),
            _ => (500, "server_error", "服务器内部错误，请稍后重试"),
        };
        await Problems.Problem(status, code, message).ExecuteAsync(http);
    }
}

/// <summary>Creates the tables, queues and blob containers before the app serves requests.</summary>
internal sealed class StorageInitializer(StorageAccount account) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => account.EnsureCreatedAsync(cancellationToken);
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>The answer of <c>GET /api/health</c>. A named type, not an anonymous one: the request delegate generator compiles only named types.</summary>
public sealed record HealthStatus(string Status);
