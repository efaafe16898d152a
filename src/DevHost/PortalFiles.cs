using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace FuncRegistry.DevHost;

/// <summary>
/// Serves the built reference portal (<c>portal/dist</c>, <c>npm run build</c>) at <c>/portal/</c>,
/// beside the API it calls, so that the development host's origin serves both and the portal's
/// default <c>config.json</c> (API on its own origin, development sign-in) works as built. In Azure
/// the same files are a static website (docs/portal.md); the Functions app does not serve them.
/// </summary>
public static class PortalFiles
{
    /// <summary>The route prefix the portal is served under.</summary>
    public const string Prefix = "/portal";

    /// <summary>
    /// Maps <c>GET /portal/{path}</c> on the files of <c>DevHost:Portal</c> (default: <c>portal/dist</c>
    /// of the repository the host runs from). When they are missing it answers 404 with how to build them.
    /// </summary>
    public static void MapPortal(this WebApplication app)
    {
        var root = app.Configuration["DevHost:Portal"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured, app.Environment.ContentRootPath)
            : Locate(app.Environment.ContentRootPath);
        var types = new FileExtensionContentTypeProvider();
        // One route: routing matches /portal and /portal/ alike; relative asset URLs need the slash.
        app.MapGet(Prefix + "/{**path}", (string? path, HttpContext http) =>
        {
            if (http.Request.Path.Value == Prefix) return Results.Redirect(Prefix + "/" + http.Request.QueryString);
            if (root is null || !File.Exists(Path.Combine(root, "index.html")))
                return Results.Problem(statusCode: 404, title: "Not Found",
                    detail: "门户尚未构建：cd portal && npm ci && npm run build（./run.sh 会自动构建）",
                    extensions: new Dictionary<string, object?> { ["code"] = "portal_not_built" });
            // A PhysicalFileProvider never leaves its root (.. and absolute paths are refused).
            using var files = new PhysicalFileProvider(root);
            var file = files.GetFileInfo(string.IsNullOrEmpty(path) ? "index.html" : path);
            if (!file.Exists || file.IsDirectory || file.PhysicalPath is null) return Results.NotFound();
            if (!types.TryGetContentType(file.Name, out var contentType)) contentType = "application/octet-stream";
            var headers = http.Response.Headers;
            // Hashed bundles never change under their name; index.html and config.json are read afresh.
            headers.CacheControl = path?.StartsWith("assets/", StringComparison.Ordinal) == true ? "public, max-age=31536000, immutable" : "no-cache";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Content-Security-Policy"] = "frame-ancestors 'none'";
            return Results.File(file.PhysicalPath, contentType);
        }).ExcludeFromDescription();
    }

    /// <summary><c>portal/dist</c> of the nearest folder above the content root that has one (the repository root).</summary>
    private static string? Locate(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "portal", "dist");
            if (Directory.Exists(Path.Combine(dir.FullName, "portal"))) return candidate;
        }
        return null;
    }
}
