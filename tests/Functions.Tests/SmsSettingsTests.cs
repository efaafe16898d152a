using FuncRegistry.Core.Notifications;
using FuncRegistry.Functions.Sms;
using Microsoft.Extensions.Configuration;

namespace FuncRegistry.Functions.Tests;

/// <summary>Configuration picks the gateway; a gateway missing a setting stops the app at start, naming the setting.</summary>
public sealed class SmsSettingsTests
{
    [Fact]
    public void The_app_refuses_to_start_with_ACS_chosen_and_not_configured_naming_what_is_missing()
    {
        using var app = new RegistryFactory(settings: new Dictionary<string, string?> { ["Sms:Gateway"] = "Acs" });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var message = error.ToString();
        Assert.Contains("Sms:Acs:ConnectionString", message);
        Assert.Contains("Sms:Acs:Endpoint", message);
        Assert.Contains("Sms:Acs:From", message);
    }

    [Fact]
    public void Aliyun_names_each_missing_credential_and_template_code()
    {
        var options = new SmsOptions { Gateway = SmsGatewayKind.Aliyun };
        options.Aliyun.TemplateCodes[SmsTemplate.CityReturned] = "SMS_1";

        var problems = string.Join("\n", options.Problems(development: true));

        Assert.Contains("Sms:Aliyun:AccessKeyId", problems);
        Assert.Contains("Sms:Aliyun:AccessKeySecret", problems);
        Assert.Contains("Sms:Aliyun:SignName", problems);
        Assert.Contains("Sms:Aliyun:TemplateCodes:ProvinceReturned", problems);
        Assert.DoesNotContain("Sms:Aliyun:TemplateCodes:CityReturned", problems);
    }

    [Fact]
    public void The_local_recorder_is_the_default_only_in_Development()
    {
        var options = new SmsOptions();

        Assert.Empty(options.Problems(development: true));
        Assert.Equal(SmsGatewayKind.Local, options.GatewayIn(development: true));
        Assert.Contains("Sms:Gateway", Assert.Single(options.Problems(development: false)));
    }

    [Fact]
    public void A_malformed_connection_string_is_named()
    {
        var options = new SmsOptions { Gateway = SmsGatewayKind.Acs, Acs = { ConnectionString = "endpoint=https://x.communication.azure.com/", From = "+18005550100" } };

        Assert.Contains("Sms:Acs:ConnectionString", Assert.Single(options.Problems(development: true)));
    }

    [Fact]
    public void Environment_variables_with_double_underscores_choose_and_configure_the_gateway()
    {
        var prefix = $"FRTEST{Guid.NewGuid():N}_";
        var variables = new Dictionary<string, string>
        {
            ["Sms__Gateway"] = "Aliyun", ["Sms__Aliyun__AccessKeyId"] = "LTAI-id", ["Sms__Aliyun__AccessKeySecret"] = "secret",
            ["Sms__Aliyun__SignName"] = "甘肃住建",
        };
        foreach (var template in Enum.GetValues<SmsTemplate>()) variables[$"Sms__Aliyun__TemplateCodes__{template}"] = $"SMS_{(int)template}";
        try
        {
            foreach (var (name, value) in variables) Environment.SetEnvironmentVariable(prefix + name, value);
            var config = new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build();

            var options = config.GetSection("Sms").Get<SmsOptions>()!;

            Assert.Equal(SmsGatewayKind.Aliyun, options.Gateway);
            Assert.Equal("SMS_3", options.Aliyun.TemplateCodes[SmsTemplate.ReissueApproved]);
            Assert.Empty(options.Problems(development: false));
        }
        finally
        {
            foreach (var name in variables.Keys) Environment.SetEnvironmentVariable(prefix + name, null);
        }
    }
}
