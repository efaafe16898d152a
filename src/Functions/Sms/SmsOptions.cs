using FuncRegistry.Core.Notifications;
using Microsoft.Extensions.Options;

namespace FuncRegistry.Functions.Sms;

/// <summary>Which gateway carries the SMS.</summary>
public enum SmsGatewayKind
{
    /// <summary>Records messages in Table storage (Development).</summary>
    Local,
    /// <summary>Azure Communication Services (international numbers; ACS does not deliver to +86).</summary>
    Acs,
    /// <summary>Aliyun Dysms (mainland China).</summary>
    Aliyun,
}

/// <summary>SMS settings. Bound from the <c>Sms</c> section (<c>Sms__Gateway=Acs</c> as an environment variable).</summary>
public sealed class SmsOptions
{
    /// <summary>The gateway; unset means <see cref="SmsGatewayKind.Local"/> in Development and is an error elsewhere.</summary>
    public SmsGatewayKind? Gateway { get; set; }

    /// <summary>Azure Communication Services.</summary>
    public AcsSmsOptions Acs { get; set; } = new();

    /// <summary>Aliyun Dysms.</summary>
    public AliyunSmsOptions Aliyun { get; set; } = new();

    /// <summary>The gateway in effect.</summary>
    public SmsGatewayKind GatewayIn(bool development) => Gateway ?? (development ? SmsGatewayKind.Local : throw new InvalidOperationException("Sms:Gateway is not set"));

    /// <summary>What is missing or malformed for the chosen gateway, each naming its setting; empty when usable.</summary>
    public IReadOnlyList<string> Problems(bool development)
    {
        var problems = new List<string>();
        switch (Gateway)
        {
            case null when !development:
                problems.Add("Sms:Gateway is not set: choose Acs or Aliyun (Local only records messages and is the Development default)");
                break;
            case SmsGatewayKind.Acs:
                if (Acs.ConnectionString.Length > 0)
                {
                    if (!AcsConnectionString.TryParse(Acs.ConnectionString, out _))
                        problems.Add("Sms:Acs:ConnectionString must look like endpoint=https://<resource>.communication.azure.com/;accesskey=<base64 key>");
                }
                else if (Acs.Endpoint.Length == 0)
                    problems.Add("Sms:Acs:ConnectionString (endpoint=…;accesskey=…) or Sms:Acs:Endpoint (with managed identity) is required for Sms:Gateway=Acs");
                else if (!Uri.TryCreate(Acs.Endpoint, UriKind.Absolute, out _))
                    problems.Add("Sms:Acs:Endpoint must be an absolute URL, e.g. https://<resource>.communication.azure.com");
                if (string.IsNullOrWhiteSpace(Acs.From))
                    problems.Add("Sms:Acs:From (the sender number in E.164, e.g. +18005550100) is required for Sms:Gateway=Acs");
                break;
            case SmsGatewayKind.Aliyun:
                if (!Uri.TryCreate(Aliyun.Endpoint, UriKind.Absolute, out _))
                    problems.Add("Sms:Aliyun:Endpoint must be an absolute URL, e.g. https://dysmsapi.aliyuncs.com");
                if (string.IsNullOrWhiteSpace(Aliyun.AccessKeyId)) problems.Add("Sms:Aliyun:AccessKeyId is required for Sms:Gateway=Aliyun");
                if (string.IsNullOrWhiteSpace(Aliyun.AccessKeySecret)) problems.Add("Sms:Aliyun:AccessKeySecret is required for Sms:Gateway=Aliyun");
                if (string.IsNullOrWhiteSpace(Aliyun.SignName)) problems.Add("Sms:Aliyun:SignName (the approved signature, without 【】) is required for Sms:Gateway=Aliyun");
                foreach (var template in Enum.GetValues<SmsTemplate>())
                    if (!Aliyun.TemplateCodes.TryGetValue(template, out var code) || string.IsNullOrWhiteSpace(code))
                        problems.Add($"Sms:Aliyun:TemplateCodes:{template} (the approved template code, e.g. SMS_123456789) is required for Sms:Gateway=Aliyun");
                break;
        }
        return problems;
    }
}

/// <summary>Azure Communication Services settings (<c>Sms:Acs</c>).</summary>
public sealed class AcsSmsOptions
{
    /// <summary><c>endpoint=https://…;accesskey=…</c>: signs requests with the access key (HMAC-SHA256).</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>The resource endpoint when authenticating with Entra ID (managed identity in Azure) instead of a key.</summary>
    public string Endpoint { get; set; } = "";

    /// <summary>The sender: an ACS number in E.164 (or an approved alphanumeric sender ID).</summary>
    public string From { get; set; } = "";

    /// <summary>In-line retries of one attempt (Azure.Core's retry policy) on 408/429/5xx and network errors.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First in-line back-off (exponential, with jitter).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(0.8);

    /// <summary>Longest in-line wait. A Retry-After longer than this is not waited for in-line: the outbox schedules the next attempt then.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>Timeout of one HTTP exchange.</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(20);
}

/// <summary>Aliyun Dysms settings (<c>Sms:Aliyun</c>).</summary>
public sealed class AliyunSmsOptions
{
    /// <summary>The Dysms endpoint.</summary>
    public string Endpoint { get; set; } = "https://dysmsapi.aliyuncs.com";

    /// <summary>The RegionId request parameter.</summary>
    public string RegionId { get; set; } = "cn-hangzhou";

    /// <summary>A RAM user's AccessKey ID allowed <c>dysms:SendSms</c> and <c>dysms:QuerySendDetails</c>.</summary>
    public string AccessKeyId { get; set; } = "";

    /// <summary>Its AccessKey secret.</summary>
    public string AccessKeySecret { get; set; } = "";

    /// <summary>The approved signature (签名), without 【】.</summary>
    public string SignName { get; set; } = "";

    /// <summary>The approved template code (模板CODE) of each of our templates; template variables are named as in <see cref="SmsComposer"/>.</summary>
    public Dictionary<SmsTemplate, string> TemplateCodes { get; set; } = [];

    /// <summary>In-line retries of a QuerySendDetails call (SendSms is never retried in-line: it is not idempotent).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>Timeout of one HTTP exchange.</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(20);
}

/// <summary>Refuses to start with an SMS configuration that cannot work, naming each missing setting.</summary>
internal sealed class SmsOptionsValidator(IHostEnvironment environment) : IValidateOptions<SmsOptions>
{
    public ValidateOptionsResult Validate(string? name, SmsOptions options)
    {
        var problems = options.Problems(environment.IsDevelopment());
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
