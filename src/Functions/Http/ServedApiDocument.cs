using System.Text.Json.Nodes;

namespace FuncRegistry.Functions.Http;

/// <summary>
/// GET /openapi/v1.json: docs/openapi.json as committed (embedded at build; ApiDocumentTests keeps
/// it equal to the document the endpoints generate), its server set to the address it was asked at.
/// </summary>
public static class ServedApiDocument
{
    private static readonly Lazy<string> Committed = new(() =>
    {
        using var stream = typeof(ServedApiDocument).Assembly.GetManifestResourceStream("FuncRegistry.Functions.openapi.json")
            ?? throw new InvalidOperationException("the OpenAPI document is not embedded in the assembly");
        return new StreamReader(stream).ReadToEnd();
    });

    /// <summary>The document, as served: outside Development without the Development-only operations (they answer 404 there).</summary>
    public static IResult Get(HttpRequest request, IHostEnvironment environment)
    {
        var document = JsonNode.Parse(Committed.Value)!.AsObject();
        if (!environment.IsDevelopment())
        {
            var paths = document["paths"]!.AsObject();
            foreach (var (path, operations) in paths.ToList())
            {
                var item = operations!.AsObject();
                foreach (var (method, operation) in item.ToList())
                    if (operation?["tags"]?.AsArray().Any(t => (string?)t == "Development only") == true) item.Remove(method);
                if (item.Count == 0) paths.Remove(path);
            }
        }
        document["servers"] = new JsonArray(new JsonObject { ["url"] = $"{request.Scheme}://{request.Host}{request.PathBase}".TrimEnd('/') });
        return Results.Text(document.ToJsonString(new() { WriteIndented = true }).ReplaceLineEndings("\n"), "application/json; charset=utf-8");
    }
}
