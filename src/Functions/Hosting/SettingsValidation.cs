using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using FuncRegistry.Functions.Auth;
using FuncRegistry.Functions.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FuncRegistry.Functions.Hosting;

/// <summary>An options class bound to a configuration section, e.g. <c>StorageOptions</c> ← <c>Storage</c>.</summary>
public sealed record BoundSettings(Type OptionsType, string Section)
{
    /// <summary>The app-setting / environment-variable name of a property path, e.g. <c>Storage__TableEndpoint</c>.</summary>
    public string SettingName(string propertyPath) => SettingsCatalog.SettingName(Section + ":" + propertyPath);
}

/// <summary>
/// Every options class of this app that is bound to configuration (found from the registrations,
/// so a section another feature binds with <c>services.Configure&lt;T&gt;(config.GetSection(…))</c> is
/// included without being listed here).
/// </summary>
public sealed class SettingsCatalog(IServiceCollection services)
{
    /// <summary>The bound options classes of the app's own assemblies, with their sections.</summary>
    public IReadOnlyList<BoundSettings> Bound(IServiceProvider provider) =>
        services.Select(d => d.ServiceType)
            .Where(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IOptionsChangeTokenSource<>))
            .Select(t => t.GetGenericArguments()[0])
            .Where(IsOwn)
            .Distinct()
            .Select(t => new BoundSettings(t, SectionOf(t, provider)))
            .OrderBy(b => b.Section, StringComparer.Ordinal)
            .ToList();

    /// <summary><c>Storage:TableEndpoint</c> → <c>Storage__TableEndpoint</c>, the form app settings and environment variables use.</summary>
    public static string SettingName(string configurationPath) => configurationPath.Replace(":", "__", StringComparison.Ordinal);

    internal static bool IsOwn(Type type) => type.Assembly.GetName().Name?.StartsWith("FuncRegistry.", StringComparison.Ordinal) == true;

    /// <summary>
    /// The section a change-token source watches (ConfigurationChangeTokenSource keeps it in a
    /// private field); falls back to the naming convention <c>XxxOptions</c> ← <c>Xxx</c>.
    /// </summary>
    private static string SectionOf(Type optionsType, IServiceProvider provider)
    {
        var sources = (IEnumerable<object>)provider.GetServices(typeof(IOptionsChangeTokenSource<>).MakeGenericType(optionsType));
        foreach (var source in sources)
        {
            var field = source.GetType().GetField("_config", BindingFlags.Instance | BindingFlags.NonPublic);
            if (field?.GetValue(source) is IConfigurationSection section) return section.Path;
        }
        var name = optionsType.Name;
        return name.EndsWith("Options", StringComparison.Ordinal) ? name[..^"Options".Length] : name;
    }
}

/// <summary>
/// Validates every bound options class when the app starts — in the host's start-up validation,
/// before any hosted service is even constructed (the storage initializer would otherwise fail
/// first, obscurely) — and stops it with one message that names each missing or wrong setting.
/// It validates <see cref="AllSettings"/>, a marker whose validation is that of every section.
/// </summary>
internal sealed class SettingsCheck(SettingsCatalog catalog, IServiceProvider provider) : IValidateOptions<AllSettings>
{
    public ValidateOptionsResult Validate(string? name, AllSettings options)
    {
        var failures = new List<string>();
        foreach (var bound in catalog.Bound(provider))
        {
            var holder = provider.GetRequiredService(typeof(IOptions<>).MakeGenericType(bound.OptionsType));
            try
            {
                _ = holder.GetType().GetProperty(nameof(IOptions<object>.Value))!.GetValue(holder);
            }
            catch (TargetInvocationException e) when (e.InnerException is OptionsValidationException invalid)
            {
                failures.AddRange(invalid.Failures);
            }
            catch (TargetInvocationException e) when (e.InnerException is InvalidOperationException binding)
            {
                // The binder's own message names the key, e.g. "Failed to convert configuration value at 'Outbox:MaxDequeueCount'…".
                failures.Add($"{SettingsCatalog.SettingName(bound.Section)}: {binding.Message}");
            }
        }
        if (failures.Count == 0) return ValidateOptionsResult.Success;
        failures.Insert(0, $"FuncRegistry cannot start: {failures.Count} setting(s) missing or wrong (see local.settings.sample.json and the README's deployment sections)");
        return ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Marker options: validating them validates every bound section (see <see cref="SettingsCheck"/>).</summary>
internal sealed class AllSettings;

/// <summary>
/// The host constructs every hosted service before its start-up validation runs, and some of
/// them (the storage initializer, the outbox poller) read their options while being
/// constructed. Registered first, this one validates all settings in its constructor, so a bad
/// setting is reported by name before anything else trips over it.
/// </summary>
internal sealed class SettingsGate : IHostedService
{
    public SettingsGate(IOptions<AllSettings> settings) => _ = settings.Value;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// Checks the data annotations of every options class of this app (nested classes too) and
/// refuses unresolved Key Vault references, naming each failure by its setting.
/// </summary>
internal sealed class AnnotatedSettingsValidator<TOptions>(SettingsCatalog catalog, IServiceProvider provider) : IValidateOptions<TOptions>
    where TOptions : class
{
    private const string KeyVaultReference = "@Microsoft.KeyVault(";

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        if (!SettingsCatalog.IsOwn(typeof(TOptions))) return ValidateOptionsResult.Skip;
        var bound = catalog.Bound(provider).FirstOrDefault(b => b.OptionsType == typeof(TOptions));
        if (bound is null) return ValidateOptionsResult.Skip;
        var failures = new List<string>();
        Check(options, "", bound, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private void Check(object value, string prefix, BoundSettings bound, List<string> failures)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(value, new ValidationContext(value, provider, null), results, validateAllProperties: true);
        foreach (var r in results)
            foreach (var member in r.MemberNames.DefaultIfEmpty(""))
                failures.Add($"{bound.SettingName(prefix + member)}: {r.ErrorMessage}");

        foreach (var property in value.GetType().GetProperties(BindingFlags.Instance | BindingFlags.Public).Where(p => p.CanRead && p.GetIndexParameters().Length == 0))
            CheckValue(property.GetValue(value), prefix + property.Name, bound, failures);
    }

    /// <summary>Strings, nested option classes, and the values of dictionaries (e.g. per-city webhooks keyed by city code).</summary>
    private void CheckValue(object? current, string path, BoundSettings bound, List<string> failures)
    {
        switch (current)
        {
            case string s when s.StartsWith(KeyVaultReference, StringComparison.OrdinalIgnoreCase):
                failures.Add($"{bound.SettingName(path)}: is an unresolved Key Vault reference — grant the app's identity 'Key Vault Secrets User' and check that the secret exists");
                break;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary) CheckValue(entry.Value, $"{path}:{entry.Key}", bound, failures);
                break;
            case not null when current is not string && current is not IEnumerable && current.GetType().IsClass && SettingsCatalog.IsOwn(current.GetType()):
                Check(current, path + ":", bound, failures);
                break;
        }
    }
}

/// <summary>Rules of one section that span several settings or depend on the environment.</summary>
internal abstract class SettingsRules<TOptions>(IHostEnvironment environment, SettingsCatalog catalog, IServiceProvider provider)
    : IValidateOptions<TOptions> where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var bound = catalog.Bound(provider).FirstOrDefault(b => b.OptionsType == typeof(TOptions));
        if (bound is null) return ValidateOptionsResult.Skip;
        var failures = Check(options, environment)
            .SelectMany(r => r.MemberNames.Select(m => $"{bound.SettingName(m)}: {r.ErrorMessage}"))
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    protected abstract IEnumerable<ValidationResult> Check(TOptions options, IHostEnvironment environment);

    protected static bool IsAbsoluteHttp(string value, bool httpsOnly = false) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || (!httpsOnly && uri.Scheme == Uri.UriSchemeHttp));
}

/// <summary>Storage: a connection string (Azurite) or the endpoints for managed identity; a real HMAC secret outside Development.</summary>
internal sealed class StorageSettingsRules(IHostEnvironment e, SettingsCatalog c, IServiceProvider p) : SettingsRules<StorageOptions>(e, c, p)
{
    protected override IEnumerable<ValidationResult> Check(StorageOptions o, IHostEnvironment environment)
    {
        if (string.IsNullOrWhiteSpace(o.ConnectionString))
        {
            const string why = "is required when Storage__ConnectionString is empty (managed identity), e.g. https://<account>.table.core.windows.net";
            if (!IsAbsoluteHttp(o.TableEndpoint)) yield return new(why, [nameof(o.TableEndpoint)]);
            if (!IsAbsoluteHttp(o.QueueEndpoint)) yield return new(why.Replace("table", "queue", StringComparison.Ordinal), [nameof(o.QueueEndpoint)]);
        }
        if (o.BlobEndpoint.Length > 0 && !IsAbsoluteHttp(o.BlobEndpoint))
            yield return new("must be an absolute URI, e.g. https://<account>.blob.core.windows.net", [nameof(o.BlobEndpoint)]);
        if (!environment.IsDevelopment() && o.PersonalDataKeySecret.Length < 32)
            yield return new("is required outside Development: at least 32 characters of secret (Key Vault secret personal-data-key); it keys the hash of ID numbers in storage keys",
                [nameof(o.PersonalDataKeySecret)]);
    }
}

/// <summary>Auth: outside Development, tokens come from a configured OIDC authority.</summary>
internal sealed class AuthSettingsRules(IHostEnvironment e, SettingsCatalog c, IServiceProvider p) : SettingsRules<AuthOptions>(e, c, p)
{
    protected override IEnumerable<ValidationResult> Check(AuthOptions o, IHostEnvironment environment)
    {
        if (environment.IsDevelopment()) yield break;
        if (!IsAbsoluteHttp(o.Authority, httpsOnly: true))
            yield return new("is required outside Development: the https URL of the OIDC authority that issues access tokens, e.g. https://login.microsoftonline.com/<tenant>/v2.0", [nameof(o.Authority)]);
        if (string.IsNullOrWhiteSpace(o.Audience))
            yield return new("is required outside Development: the audience (application ID URI or client id) access tokens are issued for", [nameof(o.Audience)]);
    }
}

/// <summary>Registration of the settings contract.</summary>
internal static class SettingsValidation
{
    internal static void AddSettingsValidation(this IServiceCollection services)
    {
        services.AddSingleton(new SettingsCatalog(services));
        services.TryAddEnumerable(ServiceDescriptor.Singleton(typeof(IValidateOptions<>), typeof(AnnotatedSettingsValidator<>)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageSettingsRules>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuthOptions>, AuthSettingsRules>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TelemetryOptions>, TelemetrySettingsRules>());
        services.AddSingleton<IValidateOptions<AllSettings>, SettingsCheck>();
        services.AddOptions<AllSettings>().ValidateOnStart();
        services.AddHostedService<SettingsGate>();
    }
}
