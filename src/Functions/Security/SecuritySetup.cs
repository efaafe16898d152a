using FuncRegistry.Functions.Auth;
using FuncRegistry.Functions.Storage;
using Microsoft.Extensions.Options;

namespace FuncRegistry.Functions.Security;

/// <summary>Everything security adds to the app: authentication, rate limits, body limits, review links, start-up checks.</summary>
public static class SecuritySetup
{
    /// <summary>Registers the services.</summary>
    public static IServiceCollection AddSecurity(this IServiceCollection services, IConfiguration config, IHostEnvironment environment)
    {
        services.Configure<ReviewLinkOptions>(config.GetSection("ReviewLinks"));
        services.Configure<RateLimitOptions>(config.GetSection("RateLimits"));
        services.Configure<RequestLimitOptions>(config.GetSection("RequestLimits"));
        services.AddSingleton<ReviewLinkSigner>();
        services.AddRegistryAuthentication(environment);
        services.AddAuthorization();
        services.AddRegistryRateLimits();
        return services;
    }

    /// <summary>
    /// The middleware every HTTP function runs through: body limits, authentication,
    /// authorization, rate limits (after authentication: budgets are per caller).
    /// </summary>
    public static IApplicationBuilder UseSecurity(this IApplicationBuilder app)
    {
        app.UseBodyLimits();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    /// <summary>The start-up checks: outside Development nothing may run on a Development default.</summary>
    public static void ValidateAtStartup(IServiceProvider services, IHostEnvironment environment)
    {
        AuthSetup.ValidateAtStartup(services.GetRequiredService<IOptions<AuthOptions>>().Value, environment);
        ReviewLinkSigner.ValidateAtStartup(services.GetRequiredService<IOptions<ReviewLinkOptions>>().Value, environment);
        if (!environment.IsDevelopment() && string.IsNullOrWhiteSpace(services.GetRequiredService<IOptions<StorageOptions>>().Value.PersonalDataKeySecret))
            throw new InvalidOperationException(
                "Storage:PersonalDataKeySecret is required outside Development: it keys the hashes that stand for ID numbers and phones in storage keys.");
    }
}
