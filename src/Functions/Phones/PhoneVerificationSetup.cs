using FuncRegistry.Functions.Storage;

namespace FuncRegistry.Functions.Phones;

/// <summary>Registers phone verification: its store and the service that texts and confirms codes.</summary>
public static class PhoneVerificationSetup
{
    /// <summary>Registers the services (settings: <c>Registry:RequirePhoneVerification</c>, <c>RateLimits:PhoneVerification*</c>).</summary>
    public static IServiceCollection AddPhoneVerification(this IServiceCollection services)
    {
        services.AddSingleton<PhoneVerificationStore>();
        services.AddSingleton<PhoneVerifications>();
        return services;
    }
}
