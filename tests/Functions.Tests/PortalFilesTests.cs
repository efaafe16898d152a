using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FuncRegistry.Functions.Tests;

/// <summary>
/// The development host serves the built reference portal at /portal/ (DevHost:Portal, default
/// portal/dist), and nothing outside its folder. Here a stand-in build in a temporary folder.
/// </summary>
public sealed class PortalFilesTests(PortalFilesTests.Built built) : IClassFixture<PortalFilesTests.Built>
{
    /// <summary>A stand-in build (index.html, config.json, a hashed bundle) with a file beside it, and the host serving it.</summary>
    public sealed class Built : IDisposable
    {
        public DirectoryInfo Root { get; } = Directory.CreateTempSubdirectory("portal-test-");
        public RegistryFactory App { get; }

        public Built()
        {
            var dist = Path.Combine(Root.FullName, "dist");
            Directory.CreateDirectory(Path.Combine(dist, "assets"));
            File.WriteAllText(Path.Combine(dist, "index.html"), "<!doctype html><html lang=\"zh-CN\"><title>证书业务办理</title></html>");
            File.WriteAllText(Path.Combine(dist, "config.json"), """{"apiBaseUrl":"","auth":"dev"}""");
            File.WriteAllText(Path.Combine(dist, "assets", "index-D01TuBVj.js"), "export {};");
            File.WriteAllText(Path.Combine(Root.FullName, "secret.txt"), "not for the browser");
            App = new RegistryFactory(settings: new Dictionary<string, string?> { ["DevHost:Portal"] = dist });
        }

        public void Dispose()
        {
            App.Dispose();
            Root.Delete(recursive: true);
        }
    }

    private static HttpClient Client(RegistryFactory app) => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    [Fact]
    public async Task The_portal_is_served_at_portal_with_its_page_read_afresh_and_its_hashed_bundles_cached()
    {
        var client = Client(built.App);

        var bare = await client.GetAsync("/portal");
        Assert.Equal(HttpStatusCode.Redirect, bare.StatusCode); // relative asset URLs need the slash
        Assert.Equal("/portal/", bare.Headers.Location?.OriginalString);

        var page = await client.GetAsync("/portal/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("证书业务办理", await page.Content.ReadAsStringAsync());
        Assert.True(page.Headers.CacheControl?.NoCache, "index.html must be revalidated: a new build names new bundles");
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());

        var config = await client.GetAsync("/portal/config.json");
        Assert.Equal("application/json", config.Content.Headers.ContentType?.MediaType);
        Assert.Equal("dev", JsonDocument.Parse(await config.Content.ReadAsStringAsync()).RootElement.GetProperty("auth").GetString());
        Assert.True(config.Headers.CacheControl?.NoCache);

        var bundle = await client.GetAsync("/portal/assets/index-D01TuBVj.js");
        Assert.Equal(HttpStatusCode.OK, bundle.StatusCode);
        Assert.Equal("text/javascript", bundle.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromDays(365), bundle.Headers.CacheControl?.MaxAge);

        // The API beside it is unchanged.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/health")).StatusCode);
    }

    [Theory]
    [InlineData("/portal/..%2Fsecret.txt")]
    [InlineData("/portal/%2E%2E/secret.txt")]
    [InlineData("/portal/assets/..%2F..%2Fsecret.txt")]
    [InlineData("/portal/missing.js")]
    [InlineData("/portal/assets")]
    public async Task Nothing_outside_the_portal_folder_and_no_missing_file_is_served(string path)
    {
        var response = await Client(built.App).GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("not for the browser", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Without_a_build_the_portal_path_says_how_to_build_it()
    {
        using var app = new RegistryFactory(settings: new Dictionary<string, string?> { ["DevHost:Portal"] = Path.Combine(built.Root.FullName, "not-built") });
        var response = await Client(app).GetAsync("/portal/");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("portal_not_built", problem.GetProperty("code").GetString());
        Assert.Contains("npm run build", problem.GetProperty("detail").GetString());
    }
}
