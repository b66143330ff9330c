using System.Buffers;
using System.Text.Json;
using Wafer.Protocol.Metadata;

namespace Wafer.Runtime.Invocation;

/// <summary>
/// The hot path of <see cref="ArgumentBinder"/>: a JSON object whose arguments are all scalars, bound straight
/// from the reader without building a <see cref="JsonDocument"/>. It binds only what it is sure of and writes the
/// same bytes the general path would; anything else (a nested value, an escaped string, a duplicate, a missing,
/// unknown or mistyped argument, malformed JSON) returns false before writing, and the general path takes over
/// and says what is wrong.
/// </summary>
internal static class ScalarArgumentBinder
{
    private const int MaxParameters = 16;

    public static bool TryBind(ReadOnlySpan<byte> body, FunctionMetadata function, IBufferWriter<byte> output, JsonWriterOptions options)
    {
        var parameters = function.Parameters;
        if (parameters.Count > MaxParameters)
        {
            return false;
        }

        // Per parameter: the token found (None when absent) and where its value sits in the body.
        Span<JsonTokenType> tokens = stackalloc JsonTokenType[MaxParameters];
        Span<Range> values = stackalloc Range[MaxParameters];
        tokens.Clear();
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var index = IndexOf(ref reader, parameters);
                if (index < 0 || tokens[index] != JsonTokenType.None || !reader.Read()
                    || !ScalarChecker.Fits(ref reader, parameters[index].Type) || reader.ValueIsEscaped)
                {
                    return false;
                }

                var isString = reader.TokenType == JsonTokenType.String;
                var start = (int)reader.TokenStartIndex + (isString ? 1 : 0);
                tokens[index] = reader.TokenType;
                values[index] = new Range(start, start + reader.ValueSpan.Length);
            }

            // The object must end here, and nothing but whitespace may follow it (Read throws on anything else).
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return false;
            }
        }
        catch (JsonException)
        {
            return false;
        }

        for (var i = 0; i < parameters.Count; i++)
        {
            if (tokens[i] == JsonTokenType.None && (!parameters[i].Type.IsNullable || parameters[i].Default is not null))
            {
                return false; // missing: an error, or a default the general binder writes
            }
        }

        using var writer = new Utf8JsonWriter(output, options);
        writer.WriteStartArray();
        for (var i = 0; i < parameters.Count; i++)
        {
            switch (tokens[i])
            {
                case JsonTokenType.String:
                    writer.WriteStringValue(body[values[i]]);
                    break;
                case JsonTokenType.Number:
                    writer.WriteRawValue(body[values[i]], skipInputValidation: true);
                    break;
                case JsonTokenType.True or JsonTokenType.False:
                    writer.WriteBooleanValue(tokens[i] == JsonTokenType.True);
                    break;
                default:
                    writer.WriteNullValue();
                    break;
            }
        }

        writer.WriteEndArray();
        return true;
    }

    private static int IndexOf(ref Utf8JsonReader reader, IReadOnlyList<ParameterMetadata> parameters)
    {
        for (var i = 0; i < parameters.Count; i++)
        {
            if (reader.ValueTextEquals(parameters[i].Name))
            {
                return i;
            }
        }

        return -1;
    }
}
