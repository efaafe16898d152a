using System.Text.Json;

namespace FuncRegistry.Functions.Tests;

/// <summary>
/// The OpenAPI document a portal developer generates a client from: what each operation answers on
/// success, that every error is problem+json, where a token is needed, and which request fields are optional.
/// </summary>
public sealed class ApiDocumentTests(WorkflowTests.App app) : IClassFixture<WorkflowTests.App>
{
    private async Task<JsonElement> DocumentAsync() => await (await app.Factory.CreateClient().GetAsync("/openapi/v1.json")).AssertOkAsync();

    private static IEnumerable<(string Name, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject().SelectMany(path => path.Value.EnumerateObject().Select(op => ($"{op.Name.ToUpperInvariant()} {path.Name}", op.Value)));

    [Fact]
    public async Task Every_operation_declares_its_success_and_its_problem_responses()
    {
        var document = await DocumentAsync();
        foreach (var (name, operation) in Operations(document))
        {
            var responses = operation.GetProperty("responses");
            Assert.True(responses.EnumerateObject().Any(r => r.Name.StartsWith('2')), $"{name} declares no success response");
            var problem = responses.GetProperty("default").GetProperty("content").GetProperty("application/problem+json").GetProperty("schema");
            Assert.Equal("#/components/schemas/Problem", problem.GetProperty("$ref").GetString());
        }
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

        Assert.Equal(["change", "reissue", "cancellation", "extension"], Choices("kind"));
        Assert.Contains("pendingCityReview", Choices("status"));
        Assert.DoesNotContain("none", Choices("status"));
    }

    [Fact]
    public async Task A_token_is_asked_for_exactly_where_one_is_required()
    {
        var document = await DocumentAsync();
        bool Secured(string name) => Operations(document).Single(o => o.Name == name).Operation.TryGetProperty("security", out _);

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
