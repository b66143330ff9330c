using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Wafer.Protocol.Metadata;

namespace Wafer.Runtime.Invocation;

/// <summary>
/// Checks that a JSON value has a declared ABI type (docs/abi.md, "Type expressions"). Used for the caller's
/// arguments before a guest sees them and for a guest's result before a caller sees it. Numbers count by value:
/// an integral value in range fits an integer type however it is spelled (<c>1e2</c>, <c>100.0</c>, <c>-0</c>), a
/// float must be finite in its type; strings must be valid Unicode (no invalid UTF-8, no lone surrogate escape).
/// </summary>
internal static class ValueChecker
{
    /// <summary>Returns null when <paramref name="value"/> fits <paramref name="type"/>, else what is wrong.</summary>
    public static string? Check(JsonElement value, WasmType type, PluginMetadata types, string path)
    {
        var respell = false;
        return Check(value, type, types, path, ref respell);
    }

    /// <summary>
    /// As <see cref="Check(JsonElement, WasmType, PluginMetadata, string)"/>; <paramref name="respell"/> becomes true
    /// when an integer is spelled other than plainly (<c>1e2</c>), so a guest must be sent <see cref="ValueWriter"/>'s copy.
    /// </summary>
    internal static string? Check(JsonElement value, WasmType type, PluginMetadata types, string path, ref bool respell)
    {
        if (type.Kind == WasmTypeKind.Nullable)
        {
            return value.ValueKind == JsonValueKind.Null ? null : Check(value, type.Element!, types, path, ref respell);
        }

        return type.Kind switch
        {
            WasmTypeKind.Void => value.ValueKind == JsonValueKind.Null ? null : $"{path} must be null (void)",
            WasmTypeKind.Bool => value.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : Expected(path, type, value),
            WasmTypeKind.String => CheckString(value, type, path),
            WasmTypeKind.Timestamp => CheckTimestamp(value, type, path),
            WasmTypeKind.F32 => Float(value, type, path, single: true),
            WasmTypeKind.F64 => Float(value, type, path, single: false),
            WasmTypeKind.I8 => Signed(value, type, path, sbyte.MinValue, sbyte.MaxValue, ref respell),
            WasmTypeKind.I16 => Signed(value, type, path, short.MinValue, short.MaxValue, ref respell),
            WasmTypeKind.I32 => Signed(value, type, path, int.MinValue, int.MaxValue, ref respell),
            WasmTypeKind.I64 => Signed(value, type, path, long.MinValue, long.MaxValue, ref respell),
            WasmTypeKind.U8 => Unsigned(value, type, path, byte.MaxValue, ref respell),
            WasmTypeKind.U16 => Unsigned(value, type, path, ushort.MaxValue, ref respell),
            WasmTypeKind.U32 => Unsigned(value, type, path, uint.MaxValue, ref respell),
            WasmTypeKind.U64 => Unsigned(value, type, path, ulong.MaxValue, ref respell),
            WasmTypeKind.Array => CheckArray(value, type, types, path, ref respell),
            WasmTypeKind.Class => CheckObject(value, type, types, path, ref respell),
            _ => $"{path} has unsupported type {type}",
        };
    }

    private static string? CheckString(JsonElement value, WasmType type, string path)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return Expected(path, type, value);
        }

        var raw = JsonMarshal.GetRawUtf8Value(value);
        return JsonStrings.IsText(raw, raw.IndexOf((byte)'\\') >= 0)
            ? null
            : $"{path} must be valid Unicode text: invalid UTF-8, or a \\u escape naming a lone surrogate";
    }

    /// <summary>A number the type holds: one that stays finite once rounded to it (so f32's maximum, written as text that
    /// parses a little above it, is the maximum).</summary>
    private static string? Float(JsonElement value, WasmType type, string path, bool single)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            return Expected(path, type, value);
        }

        return value.TryGetDouble(out var n) && (single ? float.IsFinite((float)n) : double.IsFinite(n))
            ? null
            : $"{path} must be a finite number within {type}'s range, got {value.GetRawText()}";
    }

    private static string? CheckArray(JsonElement value, WasmType type, PluginMetadata types, string path, ref bool respell)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return Expected(path, type, value);
        }

        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (Check(item, type.Element!, types, $"{path}[{index++}]", ref respell) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static string? CheckObject(JsonElement value, WasmType type, PluginMetadata types, string path, ref bool respell)
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

            if (Check(fieldValue, field.Type, types, $"{path}.{field.Name}", ref respell) is { } error)
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

    private static string? Signed(JsonElement value, WasmType type, string path, long min, long max, ref bool respell)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            return Expected(path, type, value);
        }

        if (value.TryGetInt64(out var n))
        {
            return n >= min && n <= max ? null : OutOfRange(path, type, min.ToString(CultureInfo.InvariantCulture), max, value);
        }

        if (JsonNumbers.TrySigned(JsonMarshal.GetRawUtf8Value(value), min, max, out _))
        {
            respell = true;
            return null;
        }

        return OutOfRange(path, type, min.ToString(CultureInfo.InvariantCulture), (ulong)max, value);
    }

    private static string? Unsigned(JsonElement value, WasmType type, string path, ulong max, ref bool respell)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            return Expected(path, type, value);
        }

        if (value.TryGetUInt64(out var n))
        {
            return n <= max ? null : OutOfRange(path, type, "0", max, value);
        }

        if (JsonNumbers.TryUnsigned(JsonMarshal.GetRawUtf8Value(value), max, out _))
        {
            respell = true;
            return null;
        }

        return OutOfRange(path, type, "0", max, value);
    }

    private static string OutOfRange(string path, WasmType type, string min, long max, JsonElement value) =>
        OutOfRange(path, type, min, (ulong)max, value);

    private static string OutOfRange(string path, WasmType type, string min, ulong max, JsonElement value) =>
        $"{path} must be an integer from {min} to {max} ({type}), got {value.GetRawText()}";

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
