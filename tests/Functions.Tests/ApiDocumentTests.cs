using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;

namespace FuncRegistry.Functions.Tests;

/// <summary>
/// The OpenAPI document a portal developer generates a client from: what each operation answers on
/// success, that every error is problem+json, where a token is needed, and which request fields are optional.
/// </summary>
public sealed class ApiDocumentTests(WorkflowTests.App app) : IClassFixture<WorkflowTests.App>
{
    // Asked for as at ./run.sh's address, so that the committed document's server is the local API.
    private HttpClient Client() => app.Factory.CreateClient(new() { BaseAddress = new Uri("http://127.0.0.1:7071") });

    private async Task<JsonElement> DocumentAsync() => await (await Client().GetAsync("/openapi/v1.json")).AssertOkAsync();

    /// <summary>docs/openapi.json: what portal developers generate clients from and what ./test.sh lints.</summary>
    private static string CommittedPath()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "FuncRegistry.sln"))) root = root.Parent!;
        return Path.Combine(root.FullName, "docs", "openapi.json");
    }

    private static IEnumerable<(string Name, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject().SelectMany(path => path.Value.EnumerateObject().Select(op => ($"{op.Name.ToUpperInvariant()} {path.Name}", op.Value)));

    /// <summary>
    /// The document the operations' endpoints generate (ASP.NET Core's OpenAPI generator over
    /// <see cref="FuncRegistryApp.MapFuncRegistry"/>, as a web application would route them).
    /// </summary>
    private static async Task<string> GeneratedAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development", ApplicationName = typeof(FuncRegistryApp).Assembly.GetName().Name });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = RegistryFactory.ConnectionString,
            ["Storage:NamePrefix"] = RegistryFactory.NewPrefix(),
            ["Deadlines:RunSweeper"] = "false",
        });
        builder.AddFuncRegistry();
        await using var app = builder.Build();
        app.MapFuncRegistry(app.Environment);
        app.MapOpenApi("/generated/{documentName}.json");
        await app.StartAsync();
        var client = app.GetTestClient();
        client.BaseAddress = new Uri("http://127.0.0.1:7071");
        var generated = (await client.GetStringAsync("/generated/v1.json")).ReplaceLineEndings("\n");
        await app.StopAsync();
        return generated;
    }

    [Fact]
    public async Task The_committed_document_equals_the_generated_one_and_is_the_one_served()
    {
        var generated = await GeneratedAsync();
        var path = CommittedPath();
        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1") await File.WriteAllTextAsync(path, generated);
        var committed = File.Exists(path) ? (await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n") : "";
        Assert.True(committed == generated,
            $"{path} differs from the document the endpoints generate. Refresh it with: UPDATE_OPENAPI=1 ./test.sh (then review and commit the diff)");

        // The function serves the document embedded at build: the committed one, its server the address asked at.
        var served = System.Text.Json.Nodes.JsonNode.Parse(await (await Client().GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync())!;
        var expected = System.Text.Json.Nodes.JsonNode.Parse(committed)!;
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(expected["paths"], served["paths"]) && System.Text.Json.Nodes.JsonNode.DeepEquals(expected["components"], served["components"]),
            "the served document is not the committed one");
        Assert.Equal("http://127.0.0.1:7071", (string?)served["servers"]![0]!["url"]);
    }

    [Fact]
    public async Task Every_operation_has_a_unique_function_name_as_operation_id_and_a_summary()
    {
        var operations = Operations(await DocumentAsync()).ToList();
        foreach (var (name, operation) in operations)
        {
            // The operationId becomes the Azure Functions [Function] name: PascalCase letters and digits.
            Assert.Matches("^[A-Z][A-Za-z0-9]+$", operation.TryGetProperty("operationId", out var id) ? id.GetString() : $"{name} has no operationId");
            Assert.False(string.IsNullOrWhiteSpace(operation.TryGetProperty("summary", out var summary) ? summary.GetString() : null), $"{name} has no summary");
        }
        var ids = operations.Select(o => o.Operation.GetProperty("operationId").GetString()).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal("CreateApplication", operations.Single(o => o.Name == "POST /api/applications").Operation.GetProperty("operationId").GetString());
    }

    [Fact]
    public async Task Every_array_schema_says_what_it_holds()
    {
        var missing = new List<string>();
        void Visit(JsonElement node, string at)
        {
            if (node.ValueKind == JsonValueKind.Object)
            {
                var isArray = node.TryGetProperty("type", out var type) &&
                    (type.ValueKind == JsonValueKind.String ? type.GetString() == "array" : type.ValueKind == JsonValueKind.Array && type.EnumerateArray().Any(t => t.GetString() == "array"));
                if (isArray && !node.TryGetProperty("items", out _)) missing.Add(at);
                foreach (var property in node.EnumerateObject()) Visit(property.Value, $"{at}/{property.Name}");
            }
            else if (node.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var item in node.EnumerateArray()) Visit(item, $"{at}/{i++}");
            }
        }
        Visit(await DocumentAsync(), "#");
        Assert.Empty(missing);
    }

    [Fact]
    public async Task Enums_name_their_values_as_the_api_writes_them()
    {
        var schemas = (await DocumentAsync()).GetProperty("components").GetProperty("schemas");
        List<string> Values(string name) => schemas.GetProperty(name).GetProperty("enum").EnumerateArray().Select(v => v.GetString()!).ToList();

        Assert.Equal("string", schemas.GetProperty("DocumentType").GetProperty("type").GetString());
        Assert.Contains("idCardFront", Values("DocumentType"));
        Assert.Equal(["approve", "return"], Values("ReviewDecision"));
        foreach (var schema in schemas.EnumerateObject())
            Assert.True(schema.Value.TryGetProperty("type", out _), $"components.schemas.{schema.Name} says nothing of its type");
    }

    [Fact]
    public async Task The_server_is_where_the_document_was_asked_for_without_a_trailing_slash()
    {
        var server = Assert.Single((await DocumentAsync()).GetProperty("servers").EnumerateArray());
        Assert.Equal("http://127.0.0.1:7071", server.GetProperty("url").GetString());
    }

    [Fact]
    public async Task Every_tag_an_operation_uses_is_declared_with_a_description()
    {
        var document = await DocumentAsync();
        var declared = document.GetProperty("tags").EnumerateArray()
            .ToDictionary(t => t.GetProperty("name").GetString()!, t => t.TryGetProperty("description", out var d) ? d.GetString() : null);
        foreach (var (name, operation) in Operations(document))
        foreach (var tag in operation.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!))
            Assert.False(string.IsNullOrWhiteSpace(declared.GetValueOrDefault(tag)), $"{name}: tag '{tag}' is not declared with a description (ApiDocument.Tags)");
    }

    [Fact]
    public async Task Every_operation_declares_its_success_and_its_problem_responses()
    {
        var document = await DocumentAsync();
        foreach (var (name, operation) in Operations(document))
        {
            var responses = operation.GetProperty("responses");
            Assert.True(responses.EnumerateObject().Any(r => r.Name.StartsWith('2')), $"{name} declares no success response");
            Assert.Equal("#/components/responses/Problem", responses.GetProperty("4XX").GetProperty("$ref").GetString());
            Assert.Equal("#/components/responses/Problem", responses.GetProperty("default").GetProperty("$ref").GetString());
        }
        var problem = document.GetProperty("components").GetProperty("responses").GetProperty("Problem")
            .GetProperty("content").GetProperty("application/problem+json").GetProperty("schema");
        Assert.Equal("#/components/schemas/Problem", problem.GetProperty("$ref").GetString());
        var create = Operations(document).Single(o => o.Name == "POST /api/applications").Operation;
        Assert.Equal("#/components/schemas/ApplicationView",
            create.GetProperty("responses").GetProperty("201").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        Assert.True(Operations(document).Single(o => o.Name == "DELETE /api/applications/{id}").Operation.GetProperty("responses").TryGetProperty("204", out _));
    }

    [Fact]
    public async Task The_list_filters_name_their_values_as_the_api_writes_them()
    {
        var list = Operations(await DocumentAsync()).Single(o => o.Name == "GET /api/applications").Operation;
        List<string> Choices(string name) => list.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == name)
            .GetProperty("schema").GetProperty("enum").EnumerateArray().Select(v => v.GetString()!).ToList();

        Assert.Equal(["change", "reissue", "cancellation", "extension", "transfer", "enterpriseChange", "batchReissue"], Choices("kind"));
        Assert.Contains("pendingCityReview", Choices("status"));
        Assert.Contains("pendingConfirmation", Choices("status"));
        Assert.DoesNotContain("none", Choices("status"));
    }

    [Fact]
    public async Task A_token_is_asked_for_exactly_where_one_is_required()
    {
        var document = await DocumentAsync();
        // Every operation declares its requirement: the bearer scheme, or none at all ([]).
        bool Secured(string name) => Operations(document).Single(o => o.Name == name).Operation.GetProperty("security") is var security
            && security.GetArrayLength() > 0 && security.EnumerateArray().All(r => r.TryGetProperty("Bearer", out _));

        Assert.False(document.TryGetProperty("security", out _));
        Assert.False(Secured("GET /api/health"));
        Assert.False(Secured("POST /api/dev/tokens"));
        Assert.False(Secured("POST /api/review-links/{token}"));
        Assert.True(Secured("POST /api/applications"));
        Assert.True(Secured("GET /api/reviews/pending"));
    }

    [Fact]
    public async Task Request_fields_are_optional_in_the_schema_because_the_api_names_each_missing_one()
    {
        var schemas = (await DocumentAsync()).GetProperty("components").GetProperty("schemas");

        foreach (var request in new[] { "CreateApplicationRequest", "EditApplicationRequest", "ChangesRequest", "ReviewDecisionRequest" })
            Assert.False(schemas.GetProperty(request).TryGetProperty("required", out var required) && required.GetArrayLength() > 0, $"{request} marks fields required");
    }
}
