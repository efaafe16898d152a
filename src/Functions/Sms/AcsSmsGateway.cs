using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using FuncRegistry.Core.Identifiers;

namespace FuncRegistry.Functions.Sms;

/// <summary>
/// Azure Communication Services SMS over its REST API (<c>POST {endpoint}/sms?api-version=2021-03-07</c>),
/// on Azure.Core's pipeline: in-line retries with exponential back-off that honour Retry-After on
/// 429/5xx, each try signed afresh. Every attempt of one message carries the same
/// <c>repeatabilityRequestId</c> (derived from the message id) and <c>repeatabilityFirstSent</c>,
/// so ACS executes a retried message at most once.
/// </summary>
public sealed class AcsSmsGateway : ISmsGateway
{
    /// <summary>The REST API version used.</summary>
    public const string ApiVersion = "2021-03-07";

    /// <summary>The Entra ID scope of Communication Services.</summary>
    public const string Scope = "https://communication.azure.com//.default";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly HttpPipeline _pipeline;
    private readonly Uri _sendUri;
    private readonly string _from;
    private readonly TimeProvider _clock;
    private readonly ILogger<AcsSmsGateway> _logger;

    /// <summary>
    /// Signs with the connection string's access key, or, without one, authenticates to
    /// <see cref="AcsSmsOptions.Endpoint"/> with <paramref name="credential"/> (default: managed identity / DefaultAzureCredential).
    /// </summary>
    public AcsSmsGateway(AcsSmsOptions options, TimeProvider clock, ILogger<AcsSmsGateway> logger,
        TokenCredential? credential = null, HttpPipelineTransport? transport = null)
    {
        Uri endpoint;
        HttpPipelinePolicy authentication;
        if (options.ConnectionString.Length > 0)
        {
            if (!AcsConnectionString.TryParse(options.ConnectionString, out var parsed))
                throw new InvalidOperationException("Sms:Acs:ConnectionString is malformed");
            endpoint = parsed!.Endpoint;
            authentication = new AcsHmacAuthenticationPolicy(parsed.AccessKey, clock);
        }
        else
        {
            endpoint = new Uri(options.Endpoint);
            authentication = new BearerTokenAuthenticationPolicy(credential ?? new DefaultAzureCredential(), Scope);
        }
        _sendUri = new Uri(new Uri(endpoint.ToString().TrimEnd('/') + "/"), $"sms?api-version={ApiVersion}");
        _from = options.From;
        _clock = clock;
        _logger = logger;
        var clientOptions = new PipelineOptions(options, clock);
        if (transport is not null) clientOptions.Transport = transport;
        _pipeline = HttpPipelineBuilder.Build(clientOptions, [], [authentication], new ResponseClassifier());
    }

    /// <inheritdoc />
    public async Task<SmsSendResult> SendAsync(SmsRequest request, CancellationToken cancellationToken = default)
    {
        if (!MobileNumber.TryParse(request.Phone, out var to))
            return new SmsSendResult.Failed("手机号格式无效", Permanent: true);
        var firstSent = request.FirstSentAt == default ? _clock.GetUtcNow() : request.FirstSentAt;
        var body = new SendRequest(_from,
            [new Recipient(to!.E164, RepeatabilityRequestId(request.MessageId), firstSent.ToString("r", CultureInfo.InvariantCulture))],
            request.Message.Text, new SendOptions(false, request.ApplicationId));

        using var message = _pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Post;
        message.Request.Uri.Reset(_sendUri);
        message.Request.Headers.SetValue("Content-Type", "application/json");
        message.Request.Headers.SetValue("Accept", "application/json");
        message.Request.Content = RequestContent.Create(JsonSerializer.SerializeToUtf8Bytes(body, JsonOptions));
        await _pipeline.SendAsync(message, cancellationToken);

        var response = message.Response;
        if (response.Status is 200 or 202)
        {
            var item = Parse<SendResponse>(response)?.Value?.FirstOrDefault();
            if (item is null)
                return new SmsSendResult.Failed($"ACS HTTP {response.Status} without a recipient result", MayHaveBeenSent: true);
            if (item.Successful)
            {
                _logger.LogInformation("ACS accepted {MessageId} as {AcsMessageId} ({RepeatabilityResult})", request.MessageId, item.MessageId, item.RepeatabilityResult);
                return new SmsSendResult.Sent(item.MessageId);
            }
            if (string.Equals(item.RepeatabilityResult, "rejected", StringComparison.OrdinalIgnoreCase))
                return new SmsSendResult.Failed($"ACS rejected the repeated request (repeatabilityResult=rejected, HTTP {item.HttpStatusCode}): " +
                    "its first attempt is too old to be recognised; resend it if it did not arrive", Permanent: true, MayHaveBeenSent: true);
            var permanent = item.HttpStatusCode is >= 400 and < 500 and not 408 and not 429;
            return new SmsSendResult.Failed($"ACS recipient HTTP {item.HttpStatusCode}: {item.ErrorMessage}", permanent);
        }
        var error = Parse<ErrorResponse>(response)?.Error;
        return new SmsSendResult.Failed($"ACS HTTP {response.Status} {error?.Code}: {error?.Message}".TrimEnd(' ', ':'),
            Permanent: response.Status == 400, MayHaveBeenSent: response.Status >= 500, RetryAfter: RetryAfter(response, _clock));
    }

    /// <summary>The repeatability id ACS wants (a GUID), derived from the message id so that every attempt of a message carries the same one.</summary>
    public static string RepeatabilityRequestId(string messageId) =>
        new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(messageId)).AsSpan(0, 16)).ToString();

    /// <summary>The wait a response asks for (retry-after-ms, x-ms-retry-after-ms or Retry-After in seconds or as a date).</summary>
    public static TimeSpan? RetryAfter(Response response, TimeProvider clock)
    {
        foreach (var header in new[] { "retry-after-ms", "x-ms-retry-after-ms" })
            if (response.Headers.TryGetValue(header, out var ms) && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var m))
                return TimeSpan.FromMilliseconds(m);
        if (!response.Headers.TryGetValue("Retry-After", out var value)) return null;
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)) return TimeSpan.FromSeconds(seconds);
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at - clock.GetUtcNow() : null;
    }

    private static T? Parse<T>(Response response) where T : class
    {
        try
        {
            return response.Content.ToObjectFromJson<T>(JsonOptions);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Azure.Core's options for this client: exponential retries, and long Retry-After waits left to the outbox.</summary>
    private sealed class PipelineOptions : ClientOptions
    {
        public PipelineOptions(AcsSmsOptions options, TimeProvider clock)
        {
            Retry.NetworkTimeout = options.NetworkTimeout;
            RetryPolicy = new ShortWaitRetryPolicy(options.MaxRetries, DelayStrategy.CreateExponentialDelayStrategy(options.RetryDelay, options.MaxRetryDelay),
                options.MaxRetryDelay, clock);
            Diagnostics.ApplicationId = "funcregistry";
            Diagnostics.IsLoggingContentEnabled = false; // bodies carry phone numbers
        }
    }

    /// <summary>
    /// Azure.Core's retry policy (back-off, Retry-After), except that a Retry-After longer than
    /// the longest in-line wait ends the attempt: the outbox then schedules the next one durably.
    /// </summary>
    private sealed class ShortWaitRetryPolicy(int maxRetries, DelayStrategy delay, TimeSpan longestWait, TimeProvider clock)
        : RetryPolicy(maxRetries, delay)
    {
        protected override bool ShouldRetry(HttpMessage message, Exception? exception) =>
            !AsksTooLong(message) && base.ShouldRetry(message, exception);

        protected override ValueTask<bool> ShouldRetryAsync(HttpMessage message, Exception? exception) =>
            AsksTooLong(message) ? ValueTask.FromResult(false) : base.ShouldRetryAsync(message, exception);

        private bool AsksTooLong(HttpMessage message) =>
            message.HasResponse && RetryAfter(message.Response, clock) is { } wait && wait > longestWait;
    }

    private sealed record SendRequest(string From, IReadOnlyList<Recipient> SmsRecipients, string Message, SendOptions SmsSendOptions);
    private sealed record Recipient(string To, string RepeatabilityRequestId, string RepeatabilityFirstSent);
    private sealed record SendOptions(bool EnableDeliveryReport, string? Tag);
    private sealed record SendResponse(IReadOnlyList<SendResponseItem>? Value);
    private sealed record SendResponseItem(string? To, string? MessageId, int HttpStatusCode, string? RepeatabilityResult, bool Successful, string? ErrorMessage);
    private sealed record ErrorResponse(ErrorDetail? Error);
    private sealed record ErrorDetail(string? Code, string? Message);
}

/// <summary>An ACS connection string: <c>endpoint=https://…/;accesskey=…</c>.</summary>
public sealed record AcsConnectionString(Uri Endpoint, byte[] AccessKey)
{
    /// <summary>Parses one (keys case-insensitive, in any order).</summary>
    public static bool TryParse(string? text, out AcsConnectionString? parsed)
    {
        parsed = null;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var parts = text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("endpoint", out var endpoint) || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)) return false;
        if (!parts.TryGetValue("accesskey", out var key)) return false;
        try
        {
            parsed = new AcsConnectionString(uri, Convert.FromBase64String(key));
            return parsed.AccessKey.Length > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

/// <summary>
/// ACS's HMAC-SHA256 request signing: <c>x-ms-date</c>, <c>x-ms-content-sha256</c> (Base64 SHA-256 of
/// the body) and <c>Authorization: HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&amp;Signature=…</c>
/// over <c>VERB\npath?query\ndate;host;content-hash</c>, keyed with the decoded access key.
/// Runs on every try, so a retry carries a fresh date.
/// </summary>
public sealed class AcsHmacAuthenticationPolicy(byte[] accessKey, TimeProvider clock) : HttpPipelineSynchronousPolicy
{
    /// <inheritdoc />
    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        using var body = new MemoryStream();
        request.Content?.WriteTo(body, message.CancellationToken);
        var contentHash = Convert.ToBase64String(SHA256.HashData(body.ToArray()));
        var date = clock.GetUtcNow().ToString("r", CultureInfo.InvariantCulture);
        var uri = request.Uri.ToUri();
        var stringToSign = $"{request.Method.Method}\n{uri.PathAndQuery}\n{date};{uri.Authority};{contentHash}";
        var signature = Convert.ToBase64String(HMACSHA256.HashData(accessKey, Encoding.UTF8.GetBytes(stringToSign)));
        request.Headers.SetValue("x-ms-date", date);
        request.Headers.SetValue("x-ms-content-sha256", contentHash);
        request.Headers.SetValue("Authorization", $"HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={signature}");
    }
}
