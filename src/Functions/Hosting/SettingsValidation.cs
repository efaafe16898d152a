using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
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
/// Validates every bound options class at once and fails with one message that names each
/// missing or wrong setting. It is the validation of <see cref="AllSettings"/>, a marker that
/// <see cref="SettingsValidation.ValidateSettings"/> resolves before the pipeline is built (and
/// the host's start-up validation once more, a no-op by then).
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
                // The binder's own message names the key, e.g. "Failed to convert configuration value at 'Outbox:FailuresBeforePoison'…".
                failures.Add($"{SettingsCatalog.SettingName(bound.Section)}: {binding.Message}");
            }
        }
        if (failures.Count == 0) return ValidateOptionsResult.Success;
        failures.Insert(0, $"FuncRegistry cannot start: {failures.Count} setting(s) missing or wrong (see local.settings.sample.json and docs/deploy.md)");
        return ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Marker options: validating them validates every bound section (see <see cref="SettingsCheck"/>).</summary>
internal sealed class AllSettings;

/// <summary>
/// Checks the data annotations of every options class of this app (nested classes too) and
/// refuses unresolved Key Vault references, naming each failure by its setting.
/// </summary>
internal sealed class AnnotatedSettingsValidator<TOptions>(SettingsCatalog catalog, IServiceProvider provider) : IValidateOptions<TOptions>
    where TOptions : class
{
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
            case string s when KeyVaultReferences.IsUnresolved(s):
                failures.Add($"{bound.SettingName(path)}: {KeyVaultReferences.Problem}");
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

/// <summary>
/// A setting App Service could not resolve from Key Vault arrives as the reference itself. The check
/// above finds them in strings, nested option classes and dictionaries; a section's rules check its lists.
/// </summary>
internal static class KeyVaultReferences
{
    public static bool IsUnresolved(string value) => value.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase);

    public const string Problem = "is an unresolved Key Vault reference — grant the app's identity 'Key Vault Secrets User' and check that the secret exists";
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

/// <summary>
/// Registry: the cities must belong to the province — each the six-digit code of a
/// prefecture-level city under the province's prefix (ending in 00), named, none twice — and a
/// province other than Gansu must list its own (otherwise every register line is refused at import).
/// </summary>
internal sealed class RegistrySettingsRules(IHostEnvironment e, SettingsCatalog c, IServiceProvider p) : SettingsRules<RegistryOptions>(e, c, p)
{
    protected override IEnumerable<ValidationResult> Check(RegistryOptions o, IHostEnvironment environment)
    {
        if (o.Cities.Count == 0 && o.ProvinceCode != Core.Province.ProvinceProfile.Gansu.Code)
            yield return new("must list the province's cities (Registry__Cities__0__Code, Registry__Cities__0__Name, …) when the province is not Gansu", [nameof(o.Cities)]);
        var prefix = o.ProvinceCode.Length >= 2 ? o.ProvinceCode[..2] : o.ProvinceCode;
        var seen = new HashSet<string>();
        for (var i = 0; i < o.Cities.Count; i++)
        {
            var code = o.Cities[i].Code ?? "";
            if (Core.Province.DivisionCodes.CityOf(code) != code || code.EndsWith("0000", StringComparison.Ordinal) || !code.StartsWith(prefix, StringComparison.Ordinal))
                yield return new($"must be the six-digit code of a city of province {o.ProvinceCode}, ending in 00 (e.g. {prefix}0100)", [$"{nameof(o.Cities)}:{i}:Code"]);
            else if (!seen.Add(code))
                yield return new("is listed twice", [$"{nameof(o.Cities)}:{i}:Code"]);
            if (string.IsNullOrWhiteSpace(o.Cities[i].Name))
                yield return new("is required, e.g. 兰州市", [$"{nameof(o.Cities)}:{i}:Name"]);
        }
        if (LongestReissueSms(o) is { } segments && segments > o.SmsMaxSegments)
            yield return new($"makes the approved-reissue SMS {segments} segments long, over Registry__SmsMaxSegments ({o.SmsMaxSegments}): shorten the format or allow more segments",
                [nameof(o.ReissueNumberFormat)]);
    }

    /// <summary>
    /// Segments of the longest approved-reissue SMS the settings can produce (the longest prefix a
    /// number may lend the format), or null when the format or the limits are wrong on their own
    /// (reported by their own rules). That message carries no text to shorten: only this check
    /// keeps it within the limit.
    /// </summary>
    private static int? LongestReissueSms(RegistryOptions o)
    {
        if (o.SmsMaxSegments is < 1 or > 10 || !Core.Certificates.ReissueNumberFormat.TryParse(o.ReissueNumberFormat, out var format, out _)) return null;
        var application = Core.Applications.ApplicationState.Initial with { Id = "SQ20261231999999", Kind = Core.Applications.ApplicationKind.Reissue };
        var text = new Core.Notifications.SmsComposer(o.SmsSignature, o.SmsMaxSegments).Approved(application, format!.LongestNumber, null).Text;
        return Core.Notifications.SmsComposer.Segments(text);
    }
}

/// <summary>Storage: a connection string (Azurite) or the endpoints for managed identity. (The personal-data key outside Development: SecuritySetup.)</summary>
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
    }
}

/// <summary>Registration and the check of the settings contract.</summary>
public static class SettingsValidation
{
    /// <summary>
    /// Validates every bound section now, reporting all bad settings in one message. Call it first
    /// when building the pipeline: middleware set-up reads options, and the host would otherwise
    /// validate them one section at a time as they are first used (or at start, after the hosted
    /// services that read options in their constructors were built).
    /// </summary>
    public static IServiceProvider ValidateSettings(this IServiceProvider services)
    {
        _ = services.GetRequiredService<IOptions<AllSettings>>().Value;
        return services;
    }

    internal static void AddSettingsValidation(this IServiceCollection services)
    {
        services.AddSingleton(new SettingsCatalog(services));
        services.TryAddEnumerable(ServiceDescriptor.Singleton(typeof(IValidateOptions<>), typeof(AnnotatedSettingsValidator<>)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageSettingsRules>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TelemetryOptions>, TelemetrySettingsRules>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RegistryOptions>, RegistrySettingsRules>());
        services.AddSingleton<IValidateOptions<AllSettings>, SettingsCheck>();
        services.AddOptions<AllSettings>().ValidateOnStart();
    }
}
