using FuncRegistry.Functions.Workflow;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.DurableTask.Client;
using Microsoft.AspNetCore.Routing.Template;

namespace FuncRegistry.Functions.Http;

/// <summary>
/// Runs the operation of an HTTP function. Every operation is declared once as a minimal-API
/// endpoint (<see cref="FuncRegistryApp.MapFuncRegistry"/>: route, binding, authorisation, rate
/// limit, OpenAPI metadata) named after its function; the <c>[Function]</c> of that name hands
/// its request here. The request then passes the same middleware on every host
/// (<see cref="FuncRegistryApp.UseFuncRegistryPipeline"/>: problem+json errors, body limits,
/// authentication, authorization, rate limits) and reaches the endpoint. So the Functions host and
/// the development host (src/DevHost) run exactly the same code from the function on.
/// </summary>
public sealed class HttpFunctions
{
    private sealed record Operation(RouteEndpoint Endpoint, TemplateMatcher Route, IReadOnlyList<string>? Methods);

    private readonly Dictionary<string, Operation> _named = new(StringComparer.Ordinal);
    private readonly List<Operation> _unnamed = [];
    private readonly RequestDelegate _pipeline;

    /// <summary>Builds the endpoints and the middleware once.</summary>
    public HttpFunctions(IServiceProvider services, IHostEnvironment environment)
    {
        var endpoints = new EndpointCatalog(services);
        endpoints.MapFuncRegistry(environment);
        foreach (var endpoint in endpoints.DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>())
        {
            var operation = new Operation(endpoint,
                new TemplateMatcher(new RouteTemplate(endpoint.RoutePattern), new RouteValueDictionary(endpoint.RoutePattern.Defaults)),
                endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods);
            if (endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName is { } name) _named.Add(name, operation);
            else _unnamed.Add(operation);
        }
        var app = new ApplicationBuilder(services);
        app.UseFuncRegistryPipeline();
        app.Run(http =>
        {
            if (http.GetEndpoint()?.RequestDelegate is { } endpoint) return endpoint(http);
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        _pipeline = app.Build();
    }

    /// <summary>The names of the operations this environment serves (Development adds its own).</summary>
    public IReadOnlyCollection<string> Names => _named.Keys;

    /// <summary>An operation's endpoint, by its function name.</summary>
    public RouteEndpoint? EndpointOf(string functionName) => _named.GetValueOrDefault(functionName)?.Endpoint;

    /// <summary>
    /// What an HTTP function returns: its operation, run on the request when the host executes the
    /// result. <paramref name="client"/>: the Durable client the host bound into the function.
    /// </summary>
    public static IResult Run(string functionName, DurableTaskClient? client = null) => new FunctionResult(functionName, client);

    /// <summary>
    /// Runs <paramref name="functionName"/>'s operation on the request: route values from its
    /// route (not from the host, which may not set them), then the middleware and the endpoint.
    /// A function without an operation of its name (assets such as the API reference's) runs the
    /// unnamed endpoint whose route matches. Nothing matches: 404 problem+json (e.g. a Development
    /// operation outside Development).
    /// </summary>
    public Task RunAsync(HttpContext http, string functionName)
    {
        var candidates = _named.TryGetValue(functionName, out var named) ? [named] : _unnamed;
        foreach (var operation in candidates)
        {
            var values = new RouteValueDictionary();
            if (!operation.Route.TryMatch(http.Request.Path, values)) continue;
            if (operation.Methods is { Count: > 0 } methods && !methods.Contains(http.Request.Method, StringComparer.OrdinalIgnoreCase)) continue;
            http.Request.RouteValues = values;
            http.SetEndpoint(operation.Endpoint);
            return _pipeline(http);
        }
        http.SetEndpoint(null); // not the host's own (the development host's fallback): nothing runs, status code pages answer 404
        return _pipeline(http);
    }

    private sealed class FunctionResult(string functionName, DurableTaskClient? client) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            if (client is not null) httpContext.RequestServices.GetRequiredService<ReviewOrchestrations>().Client ??= client;
            return httpContext.RequestServices.GetRequiredService<HttpFunctions>().RunAsync(httpContext, functionName);
        }
    }

    /// <summary>Where <see cref="FuncRegistryApp.MapFuncRegistry"/> declares the endpoints when no web application routes them.</summary>
    private sealed class EndpointCatalog(IServiceProvider services) : IEndpointRouteBuilder
    {
        public IServiceProvider ServiceProvider { get; } = services;
        public ICollection<EndpointDataSource> DataSources { get; } = [];
        public IApplicationBuilder CreateApplicationBuilder() => new ApplicationBuilder(ServiceProvider);
    }
}
