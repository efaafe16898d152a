using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FuncRegistry.Functions.Tests;

/// <summary>One webhook request as the receiver saw it.</summary>
public sealed record ReceivedWebhook(string Path, string Body, string? Delivery, bool SignatureValid)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    public string ApplicationId => Json.GetProperty("applicationId").GetString()!;
    public string Event => Json.GetProperty("event").GetString()!;
}

/// <summary>
/// A reviewers' webhook endpoint on 127.0.0.1 (a free port), verifying each request's signature
/// by the documented algorithm — hex HMAC-SHA256 of timestamp + "." + body with the shared
/// secret — on its own, answering 401 when it does not match.
/// </summary>
public sealed class WebhookReceiver : LoopbackServer
{
    public const string Secret = "test-webhook-secret-0123456789";
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly ConcurrentDictionary<string, int> _failuresLeft = new();

    private WebhookReceiver() { }

    /// <summary>The base address without a trailing slash, e.g. http://127.0.0.1:51234.</summary>
    public string BaseUrl => Url.ToString().TrimEnd('/');

    public IReadOnlyList<ReceivedWebhook> For(string applicationId) => _received.Where(r => r.ApplicationId == applicationId).ToList();

    /// <summary>Answers the next <paramref name="times"/> requests to <paramref name="path"/> with 503.</summary>
    public void FailNext(string path, int times) => _failuresLeft[path] = times;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        await receiver.StartAsync(app => app.MapPost("/{**path}", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var timestamp = http.Request.Headers["X-FuncRegistry-Timestamp"].ToString();
            var signature = http.Request.Headers["X-FuncRegistry-Signature"].ToString();
            var expected = "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}"))).ToLowerInvariant();
            var valid = timestamp.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature));
            receiver._received.Enqueue(new ReceivedWebhook(http.Request.Path, body, http.Request.Headers["X-FuncRegistry-Delivery"].ToString(), valid));
            if (receiver._failuresLeft.TryGetValue(http.Request.Path, out var left) && left > 0)
            {
                receiver._failuresLeft[http.Request.Path] = left - 1;
                return Results.StatusCode(503);
            }
            return valid ? Results.Ok() : Results.Unauthorized();
        }));
        return receiver;
    }
}
