using System.Text.Json;
using FuncRegistry.Core.Notifications;
using FuncRegistry.Functions.Sms;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace FuncRegistry.Functions.Tests;

/// <summary>The Aliyun gateway against a loopback Dysms that checks every signature.</summary>
public sealed class AliyunSmsGatewayTests : IAsyncLifetime
{
    private FakeAliyunServer _aliyun = null!;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero));

    public async Task InitializeAsync() => _aliyun = await FakeAliyunServer.StartAsync();
    public async Task DisposeAsync() => await _aliyun.DisposeAsync();

    public static Dictionary<SmsTemplate, string> TemplateCodes() =>
        Enum.GetValues<SmsTemplate>().ToDictionary(t => t, t => $"SMS_{100000 + (int)t}");

    private AliyunSmsGateway Gateway(string? secret = null) => new(new AliyunSmsOptions
    {
        Endpoint = _aliyun.Url.ToString(), AccessKeyId = _aliyun.AccessKeyId, AccessKeySecret = secret ?? _aliyun.AccessKeySecret,
        SignName = "甘肃住建", TemplateCodes = TemplateCodes(),
    }, _clock, NullLogger<AliyunSmsGateway>.Instance);

    private static SmsRequest Request(bool mayHaveBeenSent = false) =>
        new("SQ20261123000042-o00004-1", "SQ20261123000042", "+8613912345678",
            new SmsComposer("甘肃住建").Compose(SmsTemplate.CityReturned, new() { ["kind"] = "证书变更", ["id"] = "SQ20261123000042", ["reason"] = "照片不清晰 & 需重拍*" }),
            new DateTimeOffset(2026, 11, 23, 1, 59, 0, TimeSpan.Zero), mayHaveBeenSent);

    [Fact]
    public async Task SendSms_is_signed_and_carries_signature_template_parameters_and_OutId()
    {
        var result = await Gateway().SendAsync(Request());

        var sent = Assert.IsType<SmsSendResult.Sent>(result);
        Assert.Equal(("SendSms", true), Assert.Single(_aliyun.Calls));
        var call = Assert.Single(_aliyun.Sent);
        Assert.Equal(call.BizId, sent.GatewayMessageId);
        Assert.Equal("13912345678", call.PhoneNumbers);
        Assert.Equal("甘肃住建", call.SignName);
        Assert.Equal("SMS_100000", call.TemplateCode);
        Assert.Equal("SQ20261123000042-o00004-1", call.OutId);
        var parameters = JsonSerializer.Deserialize<Dictionary<string, string>>(call.TemplateParam)!;
        Assert.Equal("证书变更", parameters["kind"]);
        Assert.Equal("SQ20261123000042", parameters["id"]);
        Assert.Equal("照片不清晰 & 需重拍*", parameters["reason"]);
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_by_the_signature_check_and_may_be_retried()
    {
        var result = await Gateway(secret: "not-the-secret").SendAsync(Request());

        var failed = Assert.IsType<SmsSendResult.Failed>(result);
        Assert.Contains("SignatureDoesNotMatch", failed.Error);
        Assert.False(failed.Permanent);
        Assert.False(failed.MayHaveBeenSent);
        Assert.Empty(_aliyun.Sent);
    }

    [Fact]
    public async Task An_illegal_number_is_a_permanent_refusal()
    {
        _aliyun.Then(new AliyunAnswer.Refuse("isv.MOBILE_NUMBER_ILLEGAL", "非法手机号"));

        var failed = Assert.IsType<SmsSendResult.Failed>(await Gateway().SendAsync(Request()));

        Assert.True(failed.Permanent);
        Assert.Contains("isv.MOBILE_NUMBER_ILLEGAL", failed.Error);
    }

    [Fact]
    public async Task SendSms_is_never_retried_in_line_and_a_5xx_leaves_the_outcome_open()
    {
        _aliyun.Then(new AliyunAnswer.AcceptThenFail());

        var failed = Assert.IsType<SmsSendResult.Failed>(await Gateway().SendAsync(Request()));

        Assert.True(failed.MayHaveBeenSent);
        Assert.Single(_aliyun.Calls);
        Assert.Single(_aliyun.Sent);
    }

    [Fact]
    public async Task After_an_open_outcome_it_asks_QuerySendDetails_and_does_not_send_again_what_went_out()
    {
        _aliyun.Then(new AliyunAnswer.AcceptThenFail());
        var gateway = Gateway();
        await gateway.SendAsync(Request());

        var result = await gateway.SendAsync(Request(mayHaveBeenSent: true));

        Assert.IsType<SmsSendResult.Sent>(result);
        Assert.Single(_aliyun.Sent);
        Assert.Equal(["SendSms", "QuerySendDetails"], _aliyun.Calls.Select(c => c.Action));
        Assert.All(_aliyun.Calls, c => Assert.True(c.SignatureValid));
    }

    [Fact]
    public async Task After_an_open_outcome_that_did_not_go_out_it_sends()
    {
        var result = await Gateway().SendAsync(Request(mayHaveBeenSent: true));

        Assert.IsType<SmsSendResult.Sent>(result);
        Assert.Equal(["QuerySendDetails", "SendSms"], _aliyun.Calls.Select(c => c.Action));
        Assert.Single(_aliyun.Sent);
    }
}
