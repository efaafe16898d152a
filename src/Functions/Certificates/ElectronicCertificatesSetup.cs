using FuncRegistry.Functions.Printing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FuncRegistry.Functions.Certificates;

/// <summary>The electronic certificate, its verification and the printed application form (ADR 0020).</summary>
public static class ElectronicCertificatesSetup
{
    /// <summary>Registers the services and the <c>Certificates</c> settings.</summary>
    public static IServiceCollection AddElectronicCertificates(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<CertificateOptions>(config.GetSection("Certificates"));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CertificateOptions>, CertificateSettingsRules>());
        services.AddSingleton<CertificateLinks>();
        services.AddSingleton<CertificatePdfs>();
        PdfFonts.Install();
        return services;
    }
}
