using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using FuncRegistry.Core.Identifiers;

namespace FuncRegistry.Functions.Sms;

/// <summary>
/// Aliyun Dysms (API 2017-05-25) over its signed RPC HTTP API: <c>SendSms</c> with the approved
/// signature and template (the template parameters are our <see cref="Core.Notifications.SmsMessage.Parameters"/>)
/// and <c>OutId</c> = our message id.
/// SendSms is not idempotent, so it is never retried in-line; the outbox claims each message
/// before sending, and when an earlier attempt ended without an answer this gateway first asks
/// <c>QuerySendDetails</c> whether a message with that OutId went out, and sends only if not.
/// </summary>
public sealed class AliyunSmsGateway : ISmsGateway
{
    /// <summary>The API version.</summary>
    public const string ApiVersion = "2017-05-25";

    // Errors about the message itself: sending it again cannot succeed.
    private static readonly HashSet<string> PermanentCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "isv.MOBILE_NUMBER_ILLEGAL", "isv.MOBILE_COUNT_OVER_LIMIT", "isv.TEMPLATE_MISSING_PARAMETERS", "isv.TEMPLATE_PARAMS_ILLEGAL",
        "isv.INVALID_JSON_PARAM", "isv.PARAM_LENGTH_LIMIT", "isv.INVALID_PARAMETERS", "isv.SMS_TEMPLATE_ILLEGAL",
        "isv.SMS_SIGNATURE_ILLEGAL", "isv.BLACK_KEY_CONTROL_LIMIT", "isv.SMS_CONTENT_ILLEGAL",
    };

    private static readonly JsonSerializerOptions ParameterJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    private readonly AliyunSmsOptions _options;
    private readonly HttpPipeline _pipeline;
    private readonly Uri _endpoint;
    private readonly TimeProvider _clock;
    private readonly ILogger<AliyunSmsGateway> _logger;

    /// <summary>Creates the gateway; <paramref name="transport"/> is for tests.</summary>
    public AliyunSmsGateway(AliyunSmsOptions options, TimeProvider clock, ILogger<AliyunSmsGateway> logger, HttpPipelineTransport? transport = null)
    {
        _options = options;
        _endpoint = new Uri(options.Endpoint.TrimEnd('/') + "/");
        _clock = clock;
        _logger = logger;
        var clientOptions = new PipelineOptions(options);
        if (transport is not null) clientOptions.Transport = transport;
        _pipeline = HttpPipelineBuilder.Build(clientOptions);
    }

    /// <inheritdoc />
    public async Task<SmsSendResult> SendAsync(SmsRequest request, CancellationToken cancellationToken = default)
    {
        if (!MobileNumber.TryParse(request.Phone, out var number))
            return new SmsSendResult.Failed("手机号格式无效", Permanent: true);
        if (!_options.TemplateCodes.TryGetValue(request.Message.Template, out var templateCode))
            return new SmsSendResult.Failed($"no Sms:Aliyun:TemplateCodes:{request.Message.Template}", Permanent: true);

        if (request.MayHaveBeenSent)
        {
            var earlier = await FindEarlierSendAsync(request, number!, cancellationToken);
            if (earlier is not null) return earlier;
        }

        var (status, json) = await CallAsync(new Dictionary<string, string>
        {
            ["Action"] = "SendSms",
            ["PhoneNumbers"] = number!.Value,
            ["SignName"] = _options.SignName,
            ["TemplateCode"] = templateCode,
            ["TemplateParam"] = JsonSerializer.Serialize(request.Message.Parameters, ParameterJson),
            ["OutId"] = request.MessageId,
        }, retry: false, cancellationToken);
        var code = Text(json, "Code");
        if (status is >= 200 and < 300 && code == "OK")
        {
            var bizId = Text(json, "BizId");
            _logger.LogInformation("Aliyun accepted {MessageId} as {BizId}", request.MessageId, bizId);
            return new SmsSendResult.Sent(bizId);
        }
        var error = $"Aliyun HTTP {status} {code}: {Text(json, "Message")}".TrimEnd(' ', ':');
        // A 5xx or an unreadable answer says nothing about whether the message went out; an
        // error code (with HTTP 200 for business errors, 4xx for signature errors) is a refusal.
        if (status >= 500 || code is null)
            return new SmsSendResult.Failed(error, MayHaveBeenSent: true);
        return new SmsSendResult.Failed(error, Permanent: PermanentCodes.Contains(code));
    }

    /// <summary>
    /// Looks for a message with this OutId among what was sent to the number since the first
    /// attempt (Beijing dates, at most the 30 days the API keeps). Null when there is none; a
    /// failure (not sent) when the provider could not be asked, so nothing is sent blindly.
    /// </summary>
    private async Task<SmsSendResult?> FindEarlierSendAsync(SmsRequest request, MobileNumber number, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(_clock.GetUtcNow().ToOffset(ChinaOffset).DateTime);
        var first = request.FirstSentAt == default ? today : DateOnly.FromDateTime(request.FirstSentAt.ToOffset(ChinaOffset).DateTime);
        if (first < today.AddDays(-29)) first = today.AddDays(-29);
        for (var day = first; day <= today; day = day.AddDays(1))
        {
            for (var page = 1; ; page++)
            {
                var (status, json) = await CallAsync(new Dictionary<string, string>
                {
                    ["Action"] = "QuerySendDetails",
                    ["PhoneNumber"] = number.Value,
                    ["SendDate"] = day.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
                    ["PageSize"] = "50",
                    ["CurrentPage"] = page.ToString(CultureInfo.InvariantCulture),
                }, retry: true, cancellationToken);
                if (status is < 200 or >= 300 || Text(json, "Code") != "OK")
                    return new SmsSendResult.Failed($"could not check whether an earlier attempt was sent: Aliyun HTTP {status} {Text(json, "Code")}", MayHaveBeenSent: true);
                var details = Details(json);
                if (details.Any(d => Text(d, "OutId") == request.MessageId))
                {
                    _logger.LogInformation("Aliyun already has {MessageId} (sent on {Day}); not sending it again", request.MessageId, day);
                    return new SmsSendResult.Sent(null);
                }
                var total = json is { } j && j.TryGetProperty("TotalCount", out var t) && t.TryGetInt32(out var n) ? n : 0;
                if (details.Count == 0 || page * 50 >= total) break;
            }
        }
        return null;
    }

    /// <summary>One signed RPC call (POST, form-encoded, JSON answer).</summary>
    private async Task<(int Status, JsonElement? Json)> CallAsync(Dictionary<string, string> parameters, bool retry, CancellationToken cancellationToken)
    {
        parameters["Version"] = ApiVersion;
        parameters["Format"] = "JSON";
        parameters["RegionId"] = _options.RegionId;
        parameters["AccessKeyId"] = _options.AccessKeyId;
        parameters["SignatureMethod"] = "HMAC-SHA1";
        parameters["SignatureVersion"] = "1.0";
        parameters["SignatureNonce"] = Guid.NewGuid().ToString();
        parameters["Timestamp"] = _clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var body = AliyunRpcSignature.SignedForm("POST", parameters, _options.AccessKeySecret);

        using var message = _pipeline.CreateMessage();
        if (!retry) message.ResponseClassifier = NeverRetry.Instance;
        message.Request.Method = RequestMethod.Post;
        message.Request.Uri.Reset(_endpoint);
        message.Request.Headers.SetValue("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        message.Request.Headers.SetValue("Accept", "application/json");
        message.Request.Content = RequestContent.Create(Encoding.UTF8.GetBytes(body));
        await _pipeline.SendAsync(message, cancellationToken);
        try
        {
            using var document = JsonDocument.Parse(message.Response.Content.ToMemory());
            return (message.Response.Status, document.RootElement.Clone());
        }
        catch (JsonException)
        {
            return (message.Response.Status, null);
        }
    }

    private static IReadOnlyList<JsonElement> Details(JsonElement? json) =>
        json is { } j && j.TryGetProperty("SmsSendDetailDTOs", out var dtos) && dtos.TryGetProperty("SmsSendDetailDTO", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().ToList()
            : [];

    private static string? Text(JsonElement? json, string property) =>
        json is { ValueKind: JsonValueKind.Object } j && j.TryGetProperty(property, out var v)
            ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText()
            : null;

    private sealed class PipelineOptions : ClientOptions
    {
        public PipelineOptions(AliyunSmsOptions options)
        {
            Retry.MaxRetries = options.MaxRetries;
            Retry.Mode = RetryMode.Exponential;
            Retry.NetworkTimeout = options.NetworkTimeout;
            Diagnostics.ApplicationId = "funcregistry";
            Diagnostics.IsLoggingContentEnabled = false; // bodies carry phone numbers
        }
    }

    /// <summary>For SendSms: no in-line retry, whatever the answer.</summary>
    private sealed class NeverRetry : ResponseClassifier
    {
        public static readonly NeverRetry Instance = new();
        public override bool IsRetriableResponse(HttpMessage message) => false;
        public override bool IsRetriableException(Exception exception) => false;
        public override bool IsRetriable(HttpMessage message, Exception exception) => false;
    }
}

/// <summary>
/// Aliyun's RPC request signature, version 1.0: sort the parameters by name, percent-encode
/// names and values (RFC 3986: only A–Z a–z 0–9 - _ . ~ stay as they are, UTF-8, space as %20),
/// join as <c>name=value&amp;…</c>; string-to-sign = <c>METHOD&amp;%2F&amp;</c> + percent-encoded query;
/// Signature = Base64(HMAC-SHA1(secret + "&amp;", string-to-sign)).
/// </summary>
public static class AliyunRpcSignature
{
    /// <summary>The Signature parameter for a request.</summary>
    public static string Sign(string method, IReadOnlyDictionary<string, string> parameters, string accessKeySecret) =>
        Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(accessKeySecret + "&"),
            Encoding.UTF8.GetBytes($"{method}&{Encode("/")}&{Encode(Canonical(parameters))}")));

    /// <summary>The canonicalized query string plus its signature, ready as a form body.</summary>
    public static string SignedForm(string method, IReadOnlyDictionary<string, string> parameters, string accessKeySecret) =>
        Canonical(parameters) + "&Signature=" + Encode(Sign(method, parameters, accessKeySecret));

    private static string Canonical(IReadOnlyDictionary<string, string> parameters) =>
        string.Join("&", parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => Encode(p.Key) + "=" + Encode(p.Value)));

    // Uri.EscapeDataString leaves exactly RFC 3986's unreserved characters and writes %XY in upper case.
    private static string Encode(string value) => Uri.EscapeDataString(value);
}
