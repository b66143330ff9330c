using System.Runtime.InteropServices;
using System.Text.Json;
using Wafer.Protocol.Metadata;

namespace Wafer.Runtime.Invocation;

/// <summary>
/// Writes a checked value for a guest, with every integer in its plain spelling (<c>1e2</c> becomes <c>100</c>,
/// <c>-0</c> becomes <c>0</c>), since a guest's JSON reader need not know that they are integers. Only values
/// <see cref="ValueChecker"/> accepted and flagged come here; the rest are copied as they are.
/// </summary>
internal static class ValueWriter
{
    public static void Write(Utf8JsonWriter writer, JsonElement value, WasmType type, PluginMetadata types)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            writer.WriteNullValue();
            return;
        }

        type = type.NonNull;
        switch (type.Kind)
        {
            case WasmTypeKind.I8 or WasmTypeKind.I16 or WasmTypeKind.I32 or WasmTypeKind.I64:
                if (value.TryGetInt64(out var signed) || JsonNumbers.TrySigned(JsonMarshal.GetRawUtf8Value(value), long.MinValue, long.MaxValue, out signed))
                {
                    writer.WriteNumberValue(signed);
                    return;
                }

                break;
            case WasmTypeKind.U8 or WasmTypeKind.U16 or WasmTypeKind.U32 or WasmTypeKind.U64:
                if (value.TryGetUInt64(out var unsigned) || JsonNumbers.TryUnsigned(JsonMarshal.GetRawUtf8Value(value), ulong.MaxValue, out unsigned))
                {
                    writer.WriteNumberValue(unsigned);
                    return;
                }

                break;
            case WasmTypeKind.Array when value.ValueKind == JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    Write(writer, item, type.Element!, types);
                }

                writer.WriteEndArray();
                return;
            case WasmTypeKind.Class when value.ValueKind == JsonValueKind.Object && types.FindType(type.ClassName!) is { } definition:
                writer.WriteStartObject();
                foreach (var property in value.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    if (definition.Fields.FirstOrDefault(f => f.Name == property.Name) is { } field)
                    {
                        Write(writer, property.Value, field.Type, types);
                    }
                    else
                    {
                        property.Value.WriteTo(writer);
                    }
                }

                writer.WriteEndObject();
                return;
        }

        value.WriteTo(writer);
    }
}
