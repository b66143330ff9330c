using System.Text.Json;
using Wafer.Protocol.Metadata;

namespace Wafer.Runtime.Invocation;

/// <summary>
/// The hot-path check of a lone scalar (bool, number, string, null) against a scalar type, straight from the
/// reader, without building a <see cref="JsonDocument"/>. It only answers "certainly valid" (by the rule of
/// <see cref="ValueChecker"/>); anything else (a mismatch, an integer spelled other than plainly, an array or object,
/// malformed JSON) goes to <see cref="ValueChecker"/>, which says what is wrong or accepts it.
/// </summary>
internal static class ScalarChecker
{
    /// <summary>True when <paramref name="reader"/>'s current token is a value of <paramref name="type"/>.</summary>
    public static bool Fits(ref Utf8JsonReader reader, WasmType type)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return type.Kind is WasmTypeKind.Nullable or WasmTypeKind.Void;
        }

        return type.NonNull.Kind switch
        {
            WasmTypeKind.Bool => reader.TokenType is JsonTokenType.True or JsonTokenType.False,
            WasmTypeKind.String => reader.TokenType == JsonTokenType.String && JsonStrings.IsText(reader.ValueSpan, reader.ValueIsEscaped),
            WasmTypeKind.F32 => Finite(ref reader, float.MaxValue),
            WasmTypeKind.F64 => Finite(ref reader, double.MaxValue),
            WasmTypeKind.I8 => Signed(ref reader, sbyte.MinValue, sbyte.MaxValue),
            WasmTypeKind.I16 => Signed(ref reader, short.MinValue, short.MaxValue),
            WasmTypeKind.I32 => Signed(ref reader, int.MinValue, int.MaxValue),
            WasmTypeKind.I64 => Signed(ref reader, long.MinValue, long.MaxValue),
            WasmTypeKind.U8 => Unsigned(ref reader, byte.MaxValue),
            WasmTypeKind.U16 => Unsigned(ref reader, ushort.MaxValue),
            WasmTypeKind.U32 => Unsigned(ref reader, uint.MaxValue),
            WasmTypeKind.U64 => Unsigned(ref reader, ulong.MaxValue),
            _ => false,
        };
    }

    /// <summary>True when <paramref name="json"/> is exactly one scalar value of <paramref name="type"/>.</summary>
    public static bool IsValid(ReadOnlySpan<byte> json, WasmType type)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            return reader.Read() && Fits(ref reader, type) && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool Finite(ref Utf8JsonReader reader, double max) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var n) && double.IsFinite(n) && Math.Abs(n) <= max;

    private static bool Signed(ref Utf8JsonReader reader, long min, long max) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var n) && n >= min && n <= max;

    private static bool Unsigned(ref Utf8JsonReader reader, ulong max) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetUInt64(out var n) && n <= max;
}
