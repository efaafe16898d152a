using System.Text.Json;
using System.Text.Json.Serialization;

namespace FuncRegistry.Core.Serialization;

/// <summary>The one JSON shape of the app, on the wire and in storage: camelCase, enums as camelCase strings (read strictly).</summary>
public static class Json
{
    /// <summary>Options used everywhere.</summary>
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Applies the app's settings to a set of options (also used for ASP.NET Core's).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        if (!options.Converters.OfType<StrictEnumConverter>().Any())
            options.Converters.Add(new StrictEnumConverter());
        return options;
    }
}
