using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FuncRegistry.Functions.Tests;

/// <summary>A small Kestrel app on 127.0.0.1 and a free port, for fake providers.</summary>
public abstract class LoopbackServer : IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The base address, e.g. http://127.0.0.1:51234/.</summary>
    public Uri Url { get; private set; } = null!;

    protected async Task StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        map(_app);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Url = new Uri(address.TrimEnd('/') + "/");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>How the fake ACS answers the next request.</summary>
public abstract record AcsAnswer
{
    public sealed record Accept : AcsAnswer;
    public sealed record Throttle(int RetryAfterSeconds) : AcsAnswer;
    public sealed record ServerError : AcsAnswer;
    public sealed record RecipientFailure(int HttpStatusCode, string ErrorMessage) : AcsAnswer;
}

/// <summary>A request the fake ACS received.</summary>
public sealed record AcsRequestSeen(bool SignatureValid, string? Date, JsonElement? Body);

/// <summary>A message the fake ACS delivered (once per repeatability id).</summary>
public sealed record AcsDelivered(string To, string From, string Message, string RepeatabilityRequestId, string RepeatabilityFirstSent, string MessageId);

/// <summary>
/// Azure Communication Services' SMS endpoint, faked: checks the HMAC-SHA256 signature by the
/// documented algorithm (401 when it does not match), answers as scripted, and honours
/// repeatability: a repeated repeatabilityRequestId gets the first answer and is not delivered again.
/// </summary>
public sealed class FakeAcsServer : LoopbackServer
{
    private static readonly Regex Authorization = new("^HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=(?<sig>.+)$");
    private readonly ConcurrentQueue<AcsAnswer> _script = new();
    private readonly ConcurrentDictionary<string, AcsDelivered> _byRepeatabilityId = new();

    public byte[] Key { get; } = RandomNumberGenerator.GetBytes(32);
    public ConcurrentQueue<AcsRequestSeen> Requests { get; } = new();
    public ConcurrentQueue<AcsDelivered> Delivered { get; } = new();
    public string ConnectionString => $"endpoint={Url};accesskey={Convert.ToBase64String(Key)}";

    public static async Task<FakeAcsServer> StartAsync()
    {
        var server = new FakeAcsServer();
        await server.StartAsync(app => app.MapPost("/sms", (Delegate)server.HandleAsync));
        return server;
    }

    /// <summary>Answers the next requests so, in order; then it accepts.</summary>
    public void Then(params AcsAnswer[] answers)
    {
        foreach (var a in answers) _script.Enqueue(a);
    }

    private async Task<IResult> HandleAsync(HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var valid = SignatureIsValid(http.Request, body);
        var json = body.Length > 0 ? JsonDocument.Parse(body).RootElement.Clone() : (JsonElement?)null;
        Requests.Enqueue(new AcsRequestSeen(valid, http.Request.Headers["x-ms-date"].ToString(), json));
        if (!valid) return Results.Json(new { error = new { code = "Denied", message = "Denied by the resource provider." } }, statusCode: 401);
        if (http.Request.Query["api-version"] != "2021-03-07") return Results.Json(new { error = new { code = "BadRequest", message = "api-version" } }, statusCode: 400);

        var answer = _script.TryDequeue(out var next) ? next : new AcsAnswer.Accept();
        switch (answer)
        {
            case AcsAnswer.Throttle t:
                http.Response.Headers.RetryAfter = t.RetryAfterSeconds.ToString();
                return Results.Json(new { error = new { code = "TooManyRequests", message = "Rate limit exceeded" } }, statusCode: 429);
            case AcsAnswer.ServerError:
                return Results.Json(new { error = new { code = "InternalServerError", message = "Something went wrong" } }, statusCode: 500);
        }
        var from = json!.Value.GetProperty("from").GetString()!;
        var message = json.Value.GetProperty("message").GetString()!;
        var results = new List<object>();
        foreach (var recipient in json.Value.GetProperty("smsRecipients").EnumerateArray())
        {
            var to = recipient.GetProperty("to").GetString()!;
            if (answer is AcsAnswer.RecipientFailure f)
            {
                results.Add(new { to, httpStatusCode = f.HttpStatusCode, repeatabilityResult = "accepted", successful = false, errorMessage = f.ErrorMessage });
                continue;
            }
            var id = recipient.GetProperty("repeatabilityRequestId").GetString()!;
            var firstSent = recipient.GetProperty("repeatabilityFirstSent").GetString()!;
            var delivered = _byRepeatabilityId.GetOrAdd(id, _ =>
            {
                var d = new AcsDelivered(to, from, message, id, firstSent, "Outgoing_" + Guid.NewGuid().ToString("N"));
                Delivered.Enqueue(d);
                return d;
            });
            results.Add(new { to, messageId = delivered.MessageId, httpStatusCode = 202, repeatabilityResult = "accepted", successful = true });
        }
        return Results.Json(new { value = results }, statusCode: 202);
    }

    /// <summary>VERB\npath?query\nx-ms-date;host;x-ms-content-sha256, HMAC-SHA256 with the decoded access key, Base64.</summary>
    private bool SignatureIsValid(HttpRequest request, byte[] body)
    {
        var date = request.Headers["x-ms-date"].ToString();
        var contentHash = request.Headers["x-ms-content-sha256"].ToString();
        var match = Authorization.Match(request.Headers.Authorization.ToString());
        if (date.Length == 0 || !match.Success) return false;
        if (contentHash != Convert.ToBase64String(SHA256.HashData(body))) return false;
        var stringToSign = $"{request.Method}\n{request.Path}{request.QueryString}\n{date};{request.Host.Value};{contentHash}";
        var expected = HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(stringToSign));
        try
        {
            return CryptographicOperations.FixedTimeEquals(expected, Convert.FromBase64String(match.Groups["sig"].Value));
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

/// <summary>How the fake Aliyun answers the next SendSms.</summary>
public abstract record AliyunAnswer
{
    public sealed record Accept : AliyunAnswer;
    /// <summary>Sends the message, then answers 500: the caller cannot know it went out.</summary>
    public sealed record AcceptThenFail : AliyunAnswer;
    /// <summary>Refuses with an error code (HTTP 200, as Dysms does for business errors).</summary>
    public sealed record Refuse(string Code, string Message) : AliyunAnswer;
}

/// <summary>A SendSms the fake Aliyun carried out.</summary>
public sealed record AliyunSent(string PhoneNumbers, string SignName, string TemplateCode, string TemplateParam, string OutId, string SendDate, string BizId);

/// <summary>
/// Aliyun Dysms faked: checks the RPC signature (v1, HMAC-SHA1 over the percent-encoded,
/// sorted parameters) with its own implementation of the documented algorithm, refuses reused
/// nonces, carries out SendSms as scripted (never de-duplicating: it is not idempotent) and
/// answers QuerySendDetails from what it sent.
/// </summary>
public sealed class FakeAliyunServer : LoopbackServer
{
    // Dysms answers in PascalCase.
    private static readonly JsonSerializerOptions Pascal = new() { PropertyNamingPolicy = null };
    private readonly ConcurrentQueue<AliyunAnswer> _script = new();
    private readonly ConcurrentDictionary<string, bool> _nonces = new();

    public string AccessKeyId { get; } = "LTAI-test-" + Guid.NewGuid().ToString("N")[..8];
    public string AccessKeySecret { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
    public ConcurrentQueue<AliyunSent> Sent { get; } = new();
    public ConcurrentQueue<(string Action, bool SignatureValid)> Calls { get; } = new();

    public static async Task<FakeAliyunServer> StartAsync()
    {
        var server = new FakeAliyunServer();
        await server.StartAsync(app => app.MapPost("/", (Delegate)server.HandleAsync));
        return server;
    }

    public void Then(params AliyunAnswer[] answers)
    {
        foreach (var a in answers) _script.Enqueue(a);
    }

    private async Task<IResult> HandleAsync(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync();
        var parameters = form.ToDictionary(f => f.Key, f => f.Value.ToString());
        var action = parameters.GetValueOrDefault("Action") ?? "";
        var valid = SignatureIsValid(parameters);
        Calls.Enqueue((action, valid));
        if (!valid)
            return Results.Json(new { Code = "SignatureDoesNotMatch", Message = "Specified signature is not matched with our calculation.", RequestId = Guid.NewGuid() }, Pascal, statusCode: 400);
        if (!_nonces.TryAdd(parameters["SignatureNonce"], true))
            return Results.Json(new { Code = "SignatureNonceUsed", Message = "Specified signature nonce was used already.", RequestId = Guid.NewGuid() }, Pascal, statusCode: 400);
        var sendDate = DateTimeOffset.Parse(parameters["Timestamp"]).ToOffset(TimeSpan.FromHours(8)).ToString("yyyyMMdd");
        switch (action)
        {
            case "SendSms":
            {
                var answer = _script.TryDequeue(out var next) ? next : new AliyunAnswer.Accept();
                if (answer is AliyunAnswer.Refuse r)
                    return Results.Json(new { Code = r.Code, Message = r.Message, RequestId = Guid.NewGuid() }, Pascal);
                var sent = new AliyunSent(parameters["PhoneNumbers"], parameters["SignName"], parameters["TemplateCode"], parameters["TemplateParam"],
                    parameters.GetValueOrDefault("OutId") ?? "", sendDate, $"{Random.Shared.Next(100000, 999999)}^{Random.Shared.Next(1000000, 9999999)}");
                Sent.Enqueue(sent);
                return answer is AliyunAnswer.AcceptThenFail
                    ? Results.Json(new { Code = "ServiceUnavailable", Message = "The request has failed due to a temporary failure of the server.", RequestId = Guid.NewGuid() }, Pascal, statusCode: 500)
                    : Results.Json(new { Code = "OK", Message = "OK", BizId = sent.BizId, RequestId = Guid.NewGuid() }, Pascal);
            }
            case "QuerySendDetails":
            {
                var found = Sent.Where(s => s.PhoneNumbers == parameters["PhoneNumber"] && s.SendDate == parameters["SendDate"])
                    .Select(s => new { PhoneNum = s.PhoneNumbers, SendStatus = 3, ErrCode = "DELIVERED", TemplateCode = s.TemplateCode, OutId = s.OutId })
                    .ToList();
                return Results.Json(new { Code = "OK", Message = "OK", TotalCount = found.Count, SmsSendDetailDTOs = new { SmsSendDetailDTO = found }, RequestId = Guid.NewGuid() }, Pascal);
            }
            default:
                return Results.Json(new { Code = "InvalidAction.NotFound", Message = "Specified api is not found", RequestId = Guid.NewGuid() }, Pascal, statusCode: 404);
        }
    }

    private bool SignatureIsValid(Dictionary<string, string> parameters)
    {
        foreach (var (name, value) in new Dictionary<string, string>
                 {
                     ["Format"] = "JSON", ["Version"] = "2017-05-25", ["SignatureMethod"] = "HMAC-SHA1", ["SignatureVersion"] = "1.0", ["AccessKeyId"] = AccessKeyId,
                 })
            if (parameters.GetValueOrDefault(name) != value) return false;
        if (!parameters.ContainsKey("SignatureNonce") || !parameters.ContainsKey("Timestamp") || !parameters.TryGetValue("Signature", out var signature)) return false;
        var canonical = string.Join("&", parameters.Where(p => p.Key != "Signature").OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => PercentEncode(p.Key) + "=" + PercentEncode(p.Value)));
        var stringToSign = "POST&" + PercentEncode("/") + "&" + PercentEncode(canonical);
        var expected = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(AccessKeySecret + "&"), Encoding.UTF8.GetBytes(stringToSign)));
        return expected == signature;
    }

    /// <summary>RFC 3986 by hand: A–Z a–z 0–9 - _ . ~ as they are, every other UTF-8 byte as %XY.</summary>
    private static string PercentEncode(string value)
    {
        var text = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~') text.Append(c);
            else text.Append('%').Append(b.ToString("X2"));
        }
        return text.ToString();
    }
}
