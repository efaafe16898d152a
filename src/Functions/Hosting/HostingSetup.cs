namespace FuncRegistry.Functions.Hosting;

/// <summary>What running in Azure needs besides the features: a validated settings contract and telemetry.</summary>
public static class HostingSetup
{
    /// <summary>Validates every bound options class at start (fail fast, naming the setting) and sets up OpenTelemetry.</summary>
    public static IHostApplicationBuilder AddHosting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSettingsValidation();
        builder.AddTelemetry();
        return builder;
    }
}
