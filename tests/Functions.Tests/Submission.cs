using System.Net.Http.Json;
using System.Text.Json;
using FuncRegistry.Core.Applications;

namespace FuncRegistry.Functions.Tests;

/// <summary>Submitting as a portal does: with the version of the kind's commitment in force (<c>GET /api/commitments/{kind}</c>).</summary>
public static class Submission
{
    /// <summary>The submit body accepting the commitment of <paramref name="kind"/> in force.</summary>
    public static object Body(ApplicationKind kind) => new { commitmentVersion = Commitments.Current(kind).Version };

    /// <summary>POST …/submit accepting the commitment of <paramref name="kind"/> (the application's kind; no read first, so a stale copy an instance holds stays stale).</summary>
    public static Task<HttpResponseMessage> SubmitAsync(this HttpClient client, string id, ApplicationKind kind = ApplicationKind.Change) =>
        client.PostAsJsonAsync($"/api/applications/{id}/submit", Body(kind));

    /// <summary>The kind a create body names (<c>kind</c>, camelCase).</summary>
    public static ApplicationKind KindOf(object createBody) =>
        Enum.Parse<ApplicationKind>(JsonSerializer.SerializeToElement(createBody).GetProperty("kind").GetString()!, ignoreCase: true);
}
