using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Deadlines;
using FuncRegistry.Core.Province;
using FuncRegistry.Functions.Http;
using Microsoft.Extensions.Options;

namespace FuncRegistry.Functions.Deadlines;

/// <summary>
/// The body of a reviewer webhook: what lets a reviewer find the application, and a line of
/// Chinese text for chat robots. No personal data (PIPL): reviewers open the application itself.
/// </summary>
/// <param name="DeliveryId">Stable across retries of the same notice: receivers de-duplicate on it.</param>
/// <param name="Event"><c>review.dueSoon</c>, <c>review.overdue</c>, <c>review.escalated</c>, or <c>notice.objection</c> (an objection to a public notice).</param>
/// <param name="ApplicationId">The application.</param>
/// <param name="Stage">The stage concerned.</param>
/// <param name="CityCode">The application's city code.</param>
/// <param name="CityName">Its city's name.</param>
/// <param name="DueAt">When the stage is (was) due: the end of its last working day, Beijing time (for an objection: when the notice period ends).</param>
/// <param name="Round">The submission round.</param>
/// <param name="Text">The notice as a sentence.</param>
public sealed record ReviewerWebhookPayload(string DeliveryId, string Event, string ApplicationId, ReviewStage Stage, string CityCode, string? CityName,
    DateTimeOffset DueAt, int Round, string Text);

/// <summary>
/// Delivers the review clock's notices to reviewers as signed webhooks: POST of JSON with
/// <c>X-FuncRegistry-Timestamp</c> (Unix seconds), <c>X-FuncRegistry-Signature</c>
/// (<c>sha256=</c> + hex HMAC-SHA256 of <c>timestamp + "." + body</c> with the target's secret) and
/// <c>X-FuncRegistry-Delivery</c>. A server error, 408, 429 or a network failure throws, so the
/// outbox retries (with the same delivery id); any other 4xx means the target is misconfigured (a
/// wrong secret, a wrong URL): it is logged as an error and not retried, so a broken reviewer
/// endpoint never holds up the applicant's SMS or the certificate queued behind the notice.
/// </summary>
public sealed class ReviewerWebhookClient(IHttpClientFactory httpClients, IOptions<DeadlineOptions> options, ProvinceProfile province,
    TimeProvider clock, ILogger<ReviewerWebhookClient> logger)
{
    /// <summary>The named HttpClient.</summary>
    public const string HttpClientName = "ReviewerWebhooks";
    /// <summary>Header carrying the Unix time of signing.</summary>
    public const string TimestampHeader = "X-FuncRegistry-Timestamp";
    /// <summary>Header carrying <c>sha256=</c> + the hex signature.</summary>
    public const string SignatureHeader = "X-FuncRegistry-Signature";
    /// <summary>Header carrying the delivery id.</summary>
    public const string DeliveryHeader = "X-FuncRegistry-Delivery";

    /// <summary>Sends one notice; does nothing (but log) when its reviewers have no webhook configured.</summary>
    public async Task SendAsync(ReviewerNotice notice, string applicationId, string deliveryId, CancellationToken cancellationToken = default)
    {
        var webhooks = options.Value.Webhooks;
        var city = DivisionCodes.CityOf(notice.CityCode);
        var target = notice.ToProvince ? webhooks.Province : city is null ? null : webhooks.Cities.GetValueOrDefault(city);
        var audience = notice.ToProvince ? "province" : city ?? notice.CityCode;
        if (target is null || string.IsNullOrWhiteSpace(target.Url))
        {
            logger.LogInformation("No reviewer webhook for {Audience}: {Kind} notice of {ApplicationId} is recorded on the application only", audience, notice.Kind, applicationId);
            return;
        }
        var cityName = province.CityOf(notice.CityCode)?.Name;
        var payload = new ReviewerWebhookPayload(deliveryId, EventName(notice.Kind), applicationId, notice.Stage, notice.CityCode, cityName,
            notice.DueAt.ToOffset(BeijingTime.Offset), notice.Round, TextOf(notice, applicationId, cityName));
        var body = JsonSerializer.Serialize(payload, Json.Options);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(TimestampHeader, timestamp);
        request.Headers.Add(SignatureHeader, "sha256=" + Sign(target.Secret, timestamp, body));
        request.Headers.Add(DeliveryHeader, deliveryId);
        using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        var status = (int)response.StatusCode;
        if (status is >= 400 and < 500 and not 408 and not 429)
        {
            logger.LogError("Reviewer webhook for {Audience} refused {Event} of {ApplicationId} with {Status}: not retried; check Deadlines:Webhooks",
                audience, payload.Event, applicationId, status);
            return;
        }
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"reviewer webhook for {audience} answered {status}", null, response.StatusCode);
        logger.LogInformation("Reviewer webhook {Event} for {ApplicationId} delivered to {Audience}", payload.Event, applicationId, audience);
    }

    /// <summary>The signature of a request: lowercase hex HMAC-SHA256 of <c>timestamp + "." + body</c>.</summary>
    public static string Sign(string secret, string timestamp, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "." + body)));

    private static string EventName(DeadlineNotice kind) => kind switch
    {
        DeadlineNotice.DueSoon => "review.dueSoon",
        DeadlineNotice.Overdue => "review.overdue",
        DeadlineNotice.ObjectionReceived => "notice.objection",
        _ => "review.escalated",
    };

    private static string TextOf(ReviewerNotice notice, string applicationId, string? cityName)
    {
        var stage = notice.Stage == ReviewStage.City ? $"{cityName ?? notice.CityCode}市州审核" : "省级审核";
        var dueOn = BeijingTime.DayEndingAt(notice.DueAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return notice.Kind switch
        {
            DeadlineNotice.DueSoon => $"申请{applicationId}的{stage}将于{dueOn}到期，请及时办理。",
            DeadlineNotice.Overdue => $"申请{applicationId}的{stage}已于{dueOn}到期，已逾期，请尽快办理。",
            DeadlineNotice.ObjectionReceived => $"申请{applicationId}公示期间（至{dueOn}）收到异议，请{stage}人员核查处理；异议处理完毕前审批不生效。",
            _ => $"申请{applicationId}的{stage}已于{dueOn}到期并逾期，已上报省级督办。",
        };
    }
}
