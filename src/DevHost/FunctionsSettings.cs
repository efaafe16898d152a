using FuncRegistry.Functions;
using Microsoft.Extensions.Configuration.Memory;

namespace FuncRegistry.DevHost;

/// <summary>The Functions app's appsettings files, read from its assembly (appsettings.Development.json from this one: it never ships), as the worker reads them from its own folder.</summary>
public static class FunctionsSettings
{
    /// <summary>A settings file as a configuration source, or null when the app has none of that name.</summary>
    public static MemoryConfigurationSource? File(string name)
    {
        using var stream = typeof(FuncRegistryApp).Assembly.GetManifestResourceStream("FuncRegistry.Functions." + name)
            ?? typeof(FunctionsSettings).Assembly.GetManifestResourceStream("FuncRegistry.Functions." + name);
        if (stream is null) return null;
        var values = new ConfigurationBuilder().AddJsonStream(stream).Build().AsEnumerable().Where(kv => kv.Value is not null);
        return new MemoryConfigurationSource { InitialData = values.ToList() };
    }
}
