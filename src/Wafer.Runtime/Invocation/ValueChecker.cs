using System.Text.Json;
using Wafer.Protocol.Metadata;

namespace Wafer.Runtime.Invocation;

/// <summary>
/// Checks that a JSON value has a declared ABI type (docs/abi.md, "Type expressions"). Used for the caller's
/// arguments before a guest sees them and for a guest's result before a caller sees it.
/// </summary>
public static class ValueChecker
{
    /// <summary>Returns null when <paramref name="value"/> fits <paramref name="type"/>, else what is wrong.</summary>
    public static string? Check(JsonElement value, WasmType type, PluginMetadata types, string path)
    {
        if (type.Kind == WasmTypeKind.Nullable)
        {
            return value.ValueKind == JsonValueKind.Null ? null : Check(value, type.Element!, types, path);
        }

        return type.Kind switch
        {
            WasmTypeKind.Void => value.ValueKind == JsonValueKind.Null ? null : $"{path} must be null (void)",
            WasmTypeKind.Bool => value.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : Expected(path, type, value),
            WasmTypeKind.String => value.ValueKind == JsonValueKind.String ? null : Expected(path, type, value),
            WasmTypeKind.Timestamp => CheckTimestamp(value, type, path),
            WasmTypeKind.F32 or WasmTypeKind.F64 => value.ValueKind == JsonValueKind.Number ? null : Expected(path, type, value),
            WasmTypeKind.I8 => Signed(value, type, path, sbyte.MinValue, sbyte.MaxValue),
            WasmTypeKind.I16 => Signed(value, type, path, short.MinValue, short.MaxValue),
            WasmTypeKind.I32 => Signed(value, type, path, int.MinValue, int.MaxValue),
            WasmTypeKind.I64 => Signed(value, type, path, long.MinValue, long.MaxValue),
            WasmTypeKind.U8 => Unsigned(value, type, path, byte.MaxValue),
            WasmTypeKind.U16 => Unsigned(value, type, path, ushort.MaxValue),
            WasmTypeKind.U32 => Unsigned(value, type, path, uint.MaxValue),
            WasmTypeKind.U64 => Unsigned(value, type, path, ulong.MaxValue),
            WasmTypeKind.Array => CheckArray(value, type, types, path),
            WasmTypeKind.Class => CheckObject(value, type, types, path),
            _ => $"{path} has unsupported type {type}",
        };
    }

    private static string? CheckArray(JsonElement value, WasmType type, PluginMetadata types, string path)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return Expected(path, type, value);
        }

        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (Check(item, type.Element!, types, $"{path}[{index++}]") is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static string? CheckObject(JsonElement value, WasmType type, PluginMetadata types, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return Expected(path, type, value);
        }

        var definition = types.FindType(type.ClassName!);
        if (definition is null)
        {
            return $"{path} has undefined type {type.ClassName}";
        }

        foreach (var property in value.EnumerateObject())
        {
            if (!definition.Fields.Any(f => f.Name == property.Name))
            {
                return $"{path}.{property.Name} is not a field of {definition.Name} (fields: {string.Join(", ", definition.Fields.Select(f => f.Name))})";
            }
        }

        foreach (var field in definition.Fields)
        {
            if (!value.TryGetProperty(field.Name, out var fieldValue))
            {
                if (field.Type.IsNullable)
                {
                    continue;
                }

                return $"{path}.{field.Name} is missing ({field.Type})";
            }

            if (Check(fieldValue, field.Type, types, $"{path}.{field.Name}") is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static string? CheckTimestamp(JsonElement value, WasmType type, string path)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return Expected(path, type, value);
        }

        return Timestamps.TryParse(value.GetString()!, out _)
            ? null
            : $"{path} must be an RFC 3339 date and time like 2024-12-31T23:59:59.999Z, got {value.GetRawText()}";
    }

    private static string? Signed(JsonElement value, WasmType type, string path, long min, long max)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            return Expected(path, type, value);
        }

        return value.TryGetInt64(out var n) && n >= min && n <= max
            ? null
            : $"{path} must be an integer from {min} to {max} ({type}), got {value.GetRawText()}";
    }

    private static string? Unsigned(JsonElement value, WasmType type, string path, ulong max)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            return Expected(path, type, value);
        }

        return value.TryGetUInt64(out var n) && n <= max
            ? null
            : $"{path} must be an integer from 0 to {max} ({type}), got {value.GetRawText()}";
    }

    private static string Expected(string path, WasmType type, JsonElement value) =>
        $"{path} must be {Describe(type)}, got {Describe(value.ValueKind)}";

    private static string Describe(WasmType type) => type.Kind switch
    {
        WasmTypeKind.Bool => "a boolean",
        WasmTypeKind.String => "a string",
        WasmTypeKind.Timestamp => "an RFC 3339 date and time string",
        WasmTypeKind.F32 or WasmTypeKind.F64 => $"a number ({type})",
        WasmTypeKind.Array => $"an array ({type})",
        WasmTypeKind.Class => $"an object ({type})",
        _ => $"an integer ({type})",
    };

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
