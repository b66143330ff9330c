using System.Text.Json;
using Wafer.Protocol.Metadata;

namespace Wafer.GraphQL;

/// <summary>
/// Turns a function's result JSON into the values GraphQL.NET resolves further: CLR primitives typed after the
/// ABI type (int, long, uint, ulong, double, string, bool), <see cref="List{T}"/> for arrays and
/// <see cref="Dictionary{TKey,TValue}"/> for objects, read by <see cref="DictionaryFieldResolver"/>.
/// Throws <see cref="JsonException"/> when the JSON does not have the declared type.
/// </summary>
internal static class ResultReader
{
    public static object? Read(ReadOnlySpan<byte> json, WasmType type, PluginMetadata types)
    {
        if (type.Kind == WasmTypeKind.Void)
        {
            return null;
        }

        var reader = new Utf8JsonReader(json);
        Next(ref reader);
        var value = ReadValue(ref reader, type, types);
        if (reader.Read())
        {
            throw new JsonException("the result holds more than one JSON value");
        }

        return value;
    }

    private static object? ReadValue(ref Utf8JsonReader reader, WasmType type, PluginMetadata types)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return type.IsNullable || type.Kind == WasmTypeKind.Void ? null : throw Mismatch(type, ref reader);
        }

        try
        {
            return type.Kind switch
            {
                WasmTypeKind.Nullable => ReadValue(ref reader, type.Element!, types),
                WasmTypeKind.Void => null,
                WasmTypeKind.Bool when reader.TokenType is JsonTokenType.True or JsonTokenType.False => (object)reader.GetBoolean(),
                WasmTypeKind.String or WasmTypeKind.Timestamp when reader.TokenType == JsonTokenType.String => reader.GetString(),
                _ when reader.TokenType == JsonTokenType.Number => ReadNumber(ref reader, type),
                WasmTypeKind.Array when reader.TokenType == JsonTokenType.StartArray => ReadArray(ref reader, type, types),
                WasmTypeKind.Class when reader.TokenType == JsonTokenType.StartObject => ReadObject(ref reader, type, types),
                _ => throw Mismatch(type, ref reader),
            };
        }
        catch (FormatException)
        {
            throw Mismatch(type, ref reader);
        }
    }

    private static object ReadNumber(ref Utf8JsonReader reader, WasmType type) => type.Kind switch
    {
        // Boxed per arm: a switch over int, long, … alone would convert every arm to double.
        WasmTypeKind.I8 or WasmTypeKind.I16 or WasmTypeKind.I32 or WasmTypeKind.U8 or WasmTypeKind.U16 => (object)reader.GetInt32(),
        WasmTypeKind.I64 => (object)reader.GetInt64(),
        WasmTypeKind.U32 => (object)reader.GetUInt32(),
        WasmTypeKind.U64 => (object)reader.GetUInt64(),
        WasmTypeKind.F32 or WasmTypeKind.F64 => (object)reader.GetDouble(),
        _ => throw Mismatch(type, ref reader),
    };

    private static List<object?> ReadArray(ref Utf8JsonReader reader, WasmType type, PluginMetadata types)
    {
        var items = new List<object?>();
        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            items.Add(ReadValue(ref reader, type.Element!, types));
        }

        return items;
    }

    private static Dictionary<string, object?> ReadObject(ref Utf8JsonReader reader, WasmType type, PluginMetadata types)
    {
        var definition = types.FindType(type.ClassName!) ?? throw new JsonException($"type {type.ClassName} is not defined");
        var fields = new Dictionary<string, object?>(definition.Fields.Count, StringComparer.Ordinal);
        while (Next(ref reader) != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            Next(ref reader);
            var field = definition.Fields.FirstOrDefault(f => f.Name == name);
            if (field is null)
            {
                reader.Skip();
                continue;
            }

            fields[name] = ReadValue(ref reader, field.Type, types);
        }

        return fields;
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new JsonException("the result ends early");

    private static JsonException Mismatch(WasmType type, ref Utf8JsonReader reader) =>
        new($"expected {type}, found {reader.TokenType} at byte {reader.TokenStartIndex}");
}
