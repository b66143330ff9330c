using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using GraphQL.Execution;
using Wafer.Protocol.Metadata;

namespace Wafer.GraphQL;

/// <summary>
/// Writes the arguments GraphQL.NET parsed (strings, booleans, CLR integers and floats, lists, and dictionaries
/// for input objects) as the ABI's positional argument array (docs/abi.md §2), checking integer ranges that
/// GraphQL's <c>Int</c> does not (<c>i8</c>, <c>u8</c>, …). Input objects get every field, null when omitted.
/// </summary>
internal static class ArgumentWriter
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>Returns null on success, else what is wrong with which argument.</summary>
    public static string? Write(IDictionary<string, ArgumentValue>? arguments, FunctionMetadata function, PluginMetadata types, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartArray();
        foreach (var parameter in function.Parameters)
        {
            var value = arguments is not null && arguments.TryGetValue(parameter.Name, out var argument) ? argument.Value : null;
            if (WriteValue(writer, value, parameter.Type, types, $"argument '{parameter.Name}'") is { } error)
            {
                return error;
            }
        }

        writer.WriteEndArray();
        return null;
    }

    private static string? WriteValue(Utf8JsonWriter writer, object? value, WasmType type, PluginMetadata types, string path)
    {
        if (value is null)
        {
            if (!type.IsNullable && type.Kind != WasmTypeKind.Void)
            {
                return $"{path} must not be null ({type})";
            }

            writer.WriteNullValue();
            return null;
        }

        switch (type.Kind)
        {
            case WasmTypeKind.Nullable:
                return WriteValue(writer, value, type.Element!, types, path);
            case WasmTypeKind.Bool when value is bool b:
                writer.WriteBooleanValue(b);
                return null;
            case WasmTypeKind.String when value is string s:
                writer.WriteStringValue(s);
                return null;
            case WasmTypeKind.Timestamp when value is string t:
                if (!Timestamps.TryParse(t, out _))
                {
                    return $"{path} must be an RFC 3339 date and time like 2024-12-31T23:59:59.999Z, got \"{t}\"";
                }

                writer.WriteStringValue(t);
                return null;
            case WasmTypeKind.Timestamp when value is DateTimeOffset or DateTime:
                writer.WriteStringValue(Timestamps.Format(value is DateTime d ? new DateTimeOffset(d.ToUniversalTime()) : (DateTimeOffset)value));
                return null;
            case WasmTypeKind.F32 or WasmTypeKind.F64:
                return WriteFloat(writer, value, type, path);
            case WasmTypeKind.I8: return WriteInteger(writer, value, type, path, sbyte.MinValue, sbyte.MaxValue);
            case WasmTypeKind.I16: return WriteInteger(writer, value, type, path, short.MinValue, short.MaxValue);
            case WasmTypeKind.I32: return WriteInteger(writer, value, type, path, int.MinValue, int.MaxValue);
            case WasmTypeKind.I64: return WriteInteger(writer, value, type, path, long.MinValue, long.MaxValue);
            case WasmTypeKind.U8: return WriteInteger(writer, value, type, path, 0, byte.MaxValue);
            case WasmTypeKind.U16: return WriteInteger(writer, value, type, path, 0, ushort.MaxValue);
            case WasmTypeKind.U32: return WriteInteger(writer, value, type, path, 0, uint.MaxValue);
            case WasmTypeKind.U64: return WriteInteger(writer, value, type, path, 0, ulong.MaxValue);
            case WasmTypeKind.Array when value is IEnumerable items and not string:
                return WriteArray(writer, items, type, types, path);
            case WasmTypeKind.Class when value is IDictionary<string, object?> fields:
                return WriteObject(writer, fields, type, types, path);
            default:
                return $"{path} must be {type}, got a {value.GetType().Name}";
        }
    }

    private static string? WriteArray(Utf8JsonWriter writer, IEnumerable items, WasmType type, PluginMetadata types, string path)
    {
        writer.WriteStartArray();
        var index = 0;
        foreach (var item in items)
        {
            if (WriteValue(writer, item, type.Element!, types, $"{path}[{index++}]") is { } error)
            {
                return error;
            }
        }

        writer.WriteEndArray();
        return null;
    }

    private static string? WriteObject(Utf8JsonWriter writer, IDictionary<string, object?> fields, WasmType type, PluginMetadata types, string path)
    {
        if (types.FindType(type.ClassName!) is not { } definition)
        {
            return $"{path} has undefined type {type.ClassName}";
        }

        writer.WriteStartObject();
        foreach (var field in definition.Fields)
        {
            writer.WritePropertyName(field.Name);
            var value = fields.TryGetValue(field.Name, out var v) ? v : null;
            if (WriteValue(writer, value, field.Type, types, $"{path}.{field.Name}") is { } error)
            {
                return error;
            }
        }

        writer.WriteEndObject();
        return null;
    }

    private static string? WriteInteger(Utf8JsonWriter writer, object value, WasmType type, string path, Int128 min, Int128 max)
    {
        if (!IntegerScalarType.TryInteger(value, out var n))
        {
            return $"{path} must be an integer ({type}), got {Describe(value)}";
        }

        if (n < min || n > max)
        {
            return $"{path} must be an integer from {min} to {max} ({type}), got {n}";
        }

        if (n < 0)
        {
            writer.WriteNumberValue((long)n);
        }
        else
        {
            writer.WriteNumberValue((ulong)n);
        }

        return null;
    }

    private static string? WriteFloat(Utf8JsonWriter writer, object value, WasmType type, string path)
    {
        double d;
        if (IntegerScalarType.TryInteger(value, out var n))
        {
            d = (double)n;
        }
        else
        {
            switch (value)
            {
                case double x: d = x; break;
                case float x: d = x; break;
                case decimal x: d = (double)x; break;
                default: return $"{path} must be a number ({type}), got {Describe(value)}";
            }
        }

        if (!double.IsFinite(d) || (type.Kind == WasmTypeKind.F32 && !float.IsFinite((float)d)))
        {
            return $"{path} must be a finite number ({type}), got {d.ToString(CultureInfo.InvariantCulture)}";
        }

        writer.WriteNumberValue(d);
        return null;
    }

    private static string Describe(object value) => value switch
    {
        string s => $"the string \"{s}\"",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.GetType().Name,
    };
}
