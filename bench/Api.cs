using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace FuncRegistry.Bench;

/// <summary>Calls the API and records each call's latency under an endpoint name.</summary>
public sealed class Api(IReadOnlyList<Uri> instances)
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
    {
        Timeout = TimeSpan.FromMinutes(15), // a 100k-row import is one request
    };
    private int _next;

    public ConcurrentDictionary<string, ConcurrentBag<double>> Latencies { get; } = new();

    public bool Recording { get; set; }

    private Uri Next() => instances[(int)((uint)Interlocked.Increment(ref _next) % instances.Count)];

    public async Task<string> TokenAsync(object claims)
    {
        using var response = await _http.PostAsJsonAsync(new Uri(Next(), "/api/dev/tokens"), claims);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>Sends and times one request; throws unless the status is the expected one.</summary>
    public async Task<JsonElement> CallAsync(string endpoint, HttpMethod method, string path, string? token, object? body = null,
        int expected = 200, string? contentType = null, string? rawBody = null)
    {
        var (status, json, text) = await SendAsync(endpoint, method, path, token, body, contentType, rawBody);
        if (status != expected) throw new InvalidOperationException($"{method} {path} → {status} {text}");
        return json;
    }

    /// <summary>Sends and times one request whatever its status (a racing decision may be refused).</summary>
    public async Task<(int Status, JsonElement Body)> TryCallAsync(string endpoint, HttpMethod method, string path, string? token, object? body = null)
    {
        var (status, json, _) = await SendAsync(endpoint, method, path, token, body, null, null);
        return (status, json);
    }

    private async Task<(int Status, JsonElement Body, string Text)> SendAsync(string endpoint, HttpMethod method, string path, string? token, object? body,
        string? contentType, string? rawBody)
    {
        using var request = new HttpRequestMessage(method, new Uri(Next(), path));
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        if (rawBody is not null) request.Content = new StringContent(rawBody, Encoding.UTF8, contentType ?? "text/plain");
        var clock = Stopwatch.StartNew();
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        clock.Stop();
        if (Recording) Latencies.GetOrAdd(endpoint, _ => []).Add(clock.Elapsed.TotalMilliseconds);
        var json = text.Length == 0 || !text.TrimStart().StartsWith('{') && !text.TrimStart().StartsWith('[') ? default : JsonDocument.Parse(text).RootElement.Clone();
        return ((int)response.StatusCode, json, text);
    }

    /// <summary>GET on every instance (diagnostics are per process).</summary>
    public async Task<IReadOnlyList<JsonElement>> EachInstanceAsync(string path)
    {
        var results = new List<JsonElement>();
        foreach (var instance in instances)
            results.Add(await _http.GetFromJsonAsync<JsonElement>(new Uri(instance, path)));
        return results;
    }
}
