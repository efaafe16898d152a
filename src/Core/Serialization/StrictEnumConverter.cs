using System.Text.Json;
using System.Text.Json.Serialization;

namespace FuncRegistry.Core.Serialization;

/// <summary>
/// Enums as camelCase strings, read strictly: one defined member, never a number and never a
/// comma-joined list ("idCardBack,photo" is read by the plain converter as a combination of
/// flags, which for our enums is another member or no member at all). A value that is not a
/// member fails as System.Text.Json's own conversion failure does, so it is answered as a field problem.
/// </summary>
public sealed class StrictEnumConverter : JsonConverterFactory
{
    private readonly JsonStringEnumConverter _inner = new(JsonNamingPolicy.CamelCase, allowIntegerValues: false);

    /// <inheritdoc />
    public override bool CanConvert(Type typeToConvert) => _inner.CanConvert(typeToConvert);

    /// <inheritdoc />
    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Strict<>).MakeGenericType(typeToConvert), _inner.CreateConverter(typeToConvert, options))!;

    private sealed class Strict<T>(JsonConverter inner) : JsonConverter<T> where T : struct, Enum
    {
        private readonly JsonConverter<T> _inner = (JsonConverter<T>)inner;

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String && reader.GetString()!.Contains(',')) throw NotAMember();
            var value = _inner.Read(ref reader, typeToConvert, options);
            return Enum.IsDefined(value) ? value : throw NotAMember();
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => _inner.Write(writer, value, options);

        public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var value = _inner.ReadAsPropertyName(ref reader, typeToConvert, options);
            return Enum.IsDefined(value) ? value : throw NotAMember();
        }

        public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            _inner.WriteAsPropertyName(writer, value, options);

        private static JsonException NotAMember() => new($"The JSON value could not be converted to {typeof(T).FullName}.");
    }
}
