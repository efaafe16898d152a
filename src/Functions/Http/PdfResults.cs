using Microsoft.AspNetCore.OpenApi;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;

namespace FuncRegistry.Functions.Http;

/// <summary>How the app answers with a PDF (the e-certificate, the application form) and declares it in the OpenAPI document.</summary>
public static class PdfResults
{
    /// <summary>
    /// A PDF shown in the browser (<c>inline</c>) under a Chinese file name (RFC 6266 <c>filename*</c>)
    /// with an ASCII fallback; <paramref name="version"/>, when given, is its ETag.
    /// </summary>
    public static IResult Inline(HttpContext http, byte[] pdf, string fileName, string asciiFallback, string cacheControl, string? version = null)
    {
        if (version is not null) http.Response.Headers.ETag = $"\"{version}\"";
        http.Response.Headers.CacheControl = cacheControl;
        http.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("inline") { FileName = asciiFallback, FileNameStar = fileName }.ToString();
        return TypedResults.Bytes(pdf, "application/pdf");
    }

    /// <summary>Declares a PDF as the success body (in the OpenAPI document: a binary string of type application/pdf).</summary>
    public static RouteHandlerBuilder ProducesPdf(this RouteHandlerBuilder builder, string description) =>
        builder.Produces(200, contentType: "application/pdf").AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse response)
            {
                response.Description = description;
                response.Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/pdf"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                };
            }
            return Task.CompletedTask;
        });
}
