using Microsoft.Extensions.Options;

namespace FuncRegistry.Functions.Sms;

/// <summary>Registers the SMS gateway that configuration picks.</summary>
public static class SmsServices
{
    /// <summary>
    /// Binds <c>Sms</c>, refuses to start when the chosen gateway lacks a setting, and registers
    /// <see cref="ISmsGateway"/>: the local recorder, ACS or Aliyun.
    /// </summary>
    public static IServiceCollection AddSmsGateway(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<SmsOptions>().Bind(config.GetSection("Sms")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SmsOptions>, SmsOptionsValidator>();
        services.AddSingleton<LocalSmsRecorder>();
        services.AddSingleton<ISmsGateway>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SmsOptions>>().Value;
            var clock = sp.GetRequiredService<TimeProvider>();
            return options.GatewayIn(sp.GetRequiredService<IHostEnvironment>().IsDevelopment()) switch
            {
                SmsGatewayKind.Acs => new AcsSmsGateway(options.Acs, clock, sp.GetRequiredService<ILogger<AcsSmsGateway>>()),
                SmsGatewayKind.Aliyun => new AliyunSmsGateway(options.Aliyun, clock, sp.GetRequiredService<ILogger<AliyunSmsGateway>>()),
                _ => sp.GetRequiredService<LocalSmsRecorder>(),
            };
        });
        return services;
    }
}
