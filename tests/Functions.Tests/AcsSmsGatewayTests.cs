using System.Globalization;
using System.Net;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;
using FuncRegistry.Core.Notifications;
using FuncRegistry.Functions.Sms;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace FuncRegistry.Functions.Tests;

/// <summary>The ACS gateway against a loopback ACS that checks every signature.</summary>
public sealed class AcsSmsGatewayTests : IAsyncLifetime
{
    private FakeAcsServer _acs = null!;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero));

    public async Task InitializeAsync() => _acs = await FakeAcsServer.StartAsync();
    public async Task DisposeAsync() => await _acs.DisposeAsync();

    private AcsSmsGateway Gateway(string? connectionString = null) => new(new AcsSmsOptions
    {
        ConnectionString = connectionString ?? _acs.ConnectionString, From = "+18005550100",
        RetryDelay = TimeSpan.FromMilliseconds(5), MaxRetryDelay = TimeSpan.FromSeconds(2),
    }, _clock, NullLogger<AcsSmsGateway>.Instance);

    private static SmsRequest Request(string messageId = "SQ20261123000042-o00004-1", DateTimeOffset firstSent = default) =>
        new(messageId, "SQ20261123000042", "13912345678",
            new SmsComposer("甘肃住建").Compose(SmsTemplate.CityReturned, new() { ["kind"] = "证书变更", ["id"] = "SQ20261123000042", ["reason"] = "照片不清晰" }),
            firstSent == default ? new DateTimeOffset(2026, 11, 23, 1, 59, 0, TimeSpan.Zero) : firstSent);

    [Fact]
    public async Task Sends_a_signed_request_in_E164_with_repeatability_fields_and_reads_the_recipient_result()
    {
        var result = await Gateway().SendAsync(Request());

        var sent = Assert.IsType<SmsSendResult.Sent>(result);
        var seen = Assert.Single(_acs.Requests);
        Assert.True(seen.SignatureValid);
        Assert.Equal("Mon, 23 Nov 2026 02:00:00 GMT", seen.Date);
        var delivered = Assert.Single(_acs.Delivered);
        Assert.Equal(delivered.MessageId, sent.GatewayMessageId);
        Assert.Equal("+8613912345678", delivered.To);
        Assert.Equal("+18005550100", delivered.From);
        Assert.Equal("【甘肃住建】您的证书变更申请（SQ20261123000042）被市州退回，原因：照片不清晰。请修改后重新提交。", delivered.Message);
        Assert.True(Guid.TryParse(delivered.RepeatabilityRequestId, out _));
        Assert.Equal("Mon, 23 Nov 2026 01:59:00 GMT", delivered.RepeatabilityFirstSent);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 1, 59, 0, TimeSpan.Zero),
            DateTimeOffset.ParseExact(delivered.RepeatabilityFirstSent, "r", CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_wrong_access_key_is_refused_by_the_signature_check()
    {
        var wrongKey = $"endpoint={_acs.Url};accesskey={Convert.ToBase64String(new byte[32])}";

        var result = await Gateway(wrongKey).SendAsync(Request());

        var failed = Assert.IsType<SmsSendResult.Failed>(result);
        Assert.Contains("401", failed.Error);
        Assert.False(Assert.Single(_acs.Requests).SignatureValid);
        Assert.Empty(_acs.Delivered);
    }

    [Fact]
    public async Task Server_errors_are_retried_in_line_with_the_same_repeatability_id_and_a_fresh_signature()
    {
        _acs.Then(new AcsAnswer.ServerError(), new AcsAnswer.ServerError());

        var result = await Gateway().SendAsync(Request());

        Assert.IsType<SmsSendResult.Sent>(result);
        Assert.Equal(3, _acs.Requests.Count);
        Assert.All(_acs.Requests, r => Assert.True(r.SignatureValid));
        var ids = _acs.Requests.Select(r => r.Body!.Value.GetProperty("smsRecipients")[0].GetProperty("repeatabilityRequestId").GetString()).Distinct();
        Assert.Single(ids);
        Assert.Single(_acs.Delivered);
    }

    [Fact]
    public async Task A_short_Retry_After_on_429_is_waited_for_in_line()
    {
        _acs.Then(new AcsAnswer.Throttle(1));

        var result = await Gateway().SendAsync(Request());

        Assert.IsType<SmsSendResult.Sent>(result);
        Assert.Equal(2, _acs.Requests.Count);
    }

    [Fact]
    public async Task A_long_Retry_After_on_429_ends_the_attempt_and_is_handed_to_the_outbox()
    {
        _acs.Then(new AcsAnswer.Throttle(120));

        var result = await Gateway().SendAsync(Request());

        var failed = Assert.IsType<SmsSendResult.Failed>(result);
        Assert.Equal(TimeSpan.FromSeconds(120), failed.RetryAfter);
        Assert.False(failed.Permanent);
        Assert.Single(_acs.Requests);
        Assert.Empty(_acs.Delivered);
    }

    [Fact]
    public async Task A_per_recipient_refusal_is_permanent_and_carries_the_error_message()
    {
        _acs.Then(new AcsAnswer.RecipientFailure(400, "Invalid To phone number format."));

        var result = await Gateway().SendAsync(Request());

        var failed = Assert.IsType<SmsSendResult.Failed>(result);
        Assert.True(failed.Permanent);
        Assert.Contains("Invalid To phone number format.", failed.Error);
    }

    [Fact]
    public async Task A_retried_message_is_delivered_once_because_its_repeatability_id_is_stable()
    {
        var gateway = Gateway();
        var first = await gateway.SendAsync(Request());
        _clock.Advance(TimeSpan.FromMinutes(3));
        var again = await gateway.SendAsync(Request());
        var other = await gateway.SendAsync(Request("SQ20261123000042-o00006-1"));

        Assert.Equal(((SmsSendResult.Sent)first).GatewayMessageId, ((SmsSendResult.Sent)again).GatewayMessageId);
        Assert.Equal(2, _acs.Delivered.Count);
        Assert.NotEqual(((SmsSendResult.Sent)first).GatewayMessageId, ((SmsSendResult.Sent)other).GatewayMessageId);
    }

    [Fact]
    public async Task Without_a_key_it_authenticates_with_an_Entra_ID_token_for_the_Communication_Services_scope()
    {
        var credential = new RecordingCredential();
        var handler = new CapturingHandler();
        var gateway = new AcsSmsGateway(new AcsSmsOptions { Endpoint = "https://registry-sms.communication.azure.com", From = "+18005550100" },
            _clock, NullLogger<AcsSmsGateway>.Instance, credential, new HttpClientTransport(new HttpClient(handler)));

        var result = await gateway.SendAsync(Request());

        Assert.IsType<SmsSendResult.Sent>(result);
        Assert.Equal(["https://communication.azure.com//.default"], credential.Scopes);
        var request = Assert.Single(handler.Requests);
        Assert.Equal("https://registry-sms.communication.azure.com/sms?api-version=2021-03-07", request.RequestUri!.ToString());
        Assert.Equal("Bearer entra-token", request.Headers.Authorization!.ToString());
    }

    private sealed class RecordingCredential : TokenCredential
    {
        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.AddRange(requestContext.Scopes);
            return new AccessToken("entra-token", DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    /// <summary>Answers as ACS would, without a network: the endpoint is https and never contacted.</summary>
    private sealed class CapturingHandler : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.Accepted)
            {
                Content = new StringContent("""{"value":[{"to":"+8613912345678","messageId":"Outgoing_1","httpStatusCode":202,"repeatabilityResult":"accepted","successful":true}]}""",
                    Encoding.UTF8, "application/json"),
            });
        }
    }
}
