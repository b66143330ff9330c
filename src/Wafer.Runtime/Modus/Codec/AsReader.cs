using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Wafer.Protocol.Metadata;
using Wafer.Protocol.Modus;
using Wafer.Wasm.Abi;

namespace Wafer.Runtime.Modus.Codec;

/// <summary>
/// Reads AssemblyScript values out of guest memory as JSON, by their metadata types: integers and floats as
/// numbers, strings, byte sequences as base64, arrays and typed arrays as arrays, maps as lists of
/// <c>{"key", "value"}</c>, dates as RFC 3339 text, classes as objects. An object met more than
/// <see cref="MaxDepth"/> times on one path (a cycle) reads as null, as Modus cut it.
/// </summary>
internal sealed class AsReader(IAsMemory memory, AsLayouts layouts)
{
    public const int MaxDepth = 5;

    /// <summary>Longest string, array or buffer read (in bytes): a corrupt length must not exhaust the host.</summary>
    public const int MaxBytes = 64 * 1024 * 1024;

    private readonly Dictionary<uint, int> _visits = [];

    /// <summary>A value passed on the wasm stack (an export's result, a host function's argument).</summary>
    public void Stack(Utf8JsonWriter writer, AsType type, WasmValue value)
    {
        switch (type.Kind)
        {
            case AsTypeKind.Bool: writer.WriteBooleanValue(value.I32 != 0); break;
            case AsTypeKind.I8: writer.WriteNumberValue((sbyte)value.I32); break;
            case AsTypeKind.U8: writer.WriteNumberValue((byte)value.I32); break;
            case AsTypeKind.I16: writer.WriteNumberValue((short)value.I32); break;
            case AsTypeKind.U16: writer.WriteNumberValue((ushort)value.I32); break;
            case AsTypeKind.I32: writer.WriteNumberValue(value.I32); break;
            case AsTypeKind.U32: writer.WriteNumberValue((uint)value.I32); break;
            case AsTypeKind.I64: writer.WriteNumberValue(value.I64); break;
            case AsTypeKind.U64: writer.WriteNumberValue((ulong)value.I64); break;
            case AsTypeKind.F32: Float(writer, value.F32, type); break;
            case AsTypeKind.F64: Float(writer, value.F64, type); break;
            default: Reference(writer, type, (uint)value.I32); break;
        }
    }

    /// <summary>A value stored at <paramref name="address"/> (a field, an element, a map entry's key or value).</summary>
    public void At(Utf8JsonWriter writer, AsType type, uint address)
    {
        var bytes = memory.Read(address, type.Size);
        switch (type.Kind)
        {
            case AsTypeKind.Bool: writer.WriteBooleanValue(bytes[0] != 0); break;
            case AsTypeKind.I8: writer.WriteNumberValue((sbyte)bytes[0]); break;
            case AsTypeKind.U8: writer.WriteNumberValue(bytes[0]); break;
            case AsTypeKind.I16: writer.WriteNumberValue(BinaryPrimitives.ReadInt16LittleEndian(bytes)); break;
            case AsTypeKind.U16: writer.WriteNumberValue(BinaryPrimitives.ReadUInt16LittleEndian(bytes)); break;
            case AsTypeKind.I32: writer.WriteNumberValue(BinaryPrimitives.ReadInt32LittleEndian(bytes)); break;
            case AsTypeKind.U32: writer.WriteNumberValue(BinaryPrimitives.ReadUInt32LittleEndian(bytes)); break;
            case AsTypeKind.I64: writer.WriteNumberValue(BinaryPrimitives.ReadInt64LittleEndian(bytes)); break;
            case AsTypeKind.U64: writer.WriteNumberValue(BinaryPrimitives.ReadUInt64LittleEndian(bytes)); break;
            case AsTypeKind.F32: Float(writer, BinaryPrimitives.ReadSingleLittleEndian(bytes), type); break;
            case AsTypeKind.F64: Float(writer, BinaryPrimitives.ReadDoubleLittleEndian(bytes), type); break;
            default: Reference(writer, type, BinaryPrimitives.ReadUInt32LittleEndian(bytes)); break;
        }
    }

    /// <summary>A managed object by pointer; 0 is null, allowed only for nullable types.</summary>
    public void Reference(Utf8JsonWriter writer, AsType type, uint pointer)
    {
        if (pointer == 0)
        {
            if (!type.IsNullable)
            {
                throw new AsCodecException($"unexpected null pointer for non-nullable type {type.Name}");
            }

            writer.WriteNullValue();
            return;
        }

        switch (type.Kind)
        {
            case AsTypeKind.String:
                writer.WriteStringValue(String(pointer));
                break;
            case AsTypeKind.ArrayBuffer:
                writer.WriteBase64StringValue(memory.Read(pointer, Checked(AsLayout.Header(memory, pointer).Size)));
                break;
            case AsTypeKind.TypedArray:
                TypedArray(writer, type, pointer);
                break;
            case AsTypeKind.Array:
                Array(writer, type, pointer);
                break;
            case AsTypeKind.Map:
                Map(writer, type, pointer);
                break;
            case AsTypeKind.Date:
                writer.WriteStringValue(Timestamps.FormatUnixMilliseconds(BinaryPrimitives.ReadInt64LittleEndian(memory.Read(pointer + 16, 8))));
                break;
            default:
                Object(writer, type, pointer);
                break;
        }
    }

    /// <summary>An AssemblyScript string: UTF-16LE, its byte length in the header.</summary>
    public string String(uint pointer)
    {
        var (classId, size) = AsLayout.Header(memory, pointer);
        if (classId != AsLayout.StringId)
        {
            throw new AsCodecException($"pointer {pointer} is not a string (class id {classId})");
        }

        var bytes = memory.Read(pointer, Checked(size) & ~1);
        return Encoding.Unicode.GetString(bytes);
    }

    private void TypedArray(Utf8JsonWriter writer, AsType type, uint pointer)
    {
        var header = memory.Read(pointer, 12);
        var dataStart = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        var byteLength = Checked(BinaryPrimitives.ReadUInt32LittleEndian(header[8..]));
        if (type.IsByteSequence)
        {
            writer.WriteBase64StringValue(memory.Read(dataStart, byteLength));
            return;
        }

        Elements(writer, type.Element!, dataStart, byteLength / type.Element!.Size);
    }

    private void Array(Utf8JsonWriter writer, AsType type, uint pointer)
    {
        var header = memory.Read(pointer, 16);
        var dataStart = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        var length = BinaryPrimitives.ReadInt32LittleEndian(header[12..]);
        if (length < 0 || (long)length * type.Element!.Size > MaxBytes)
        {
            throw new AsCodecException($"array at {pointer} claims {length} elements");
        }

        if (type.IsByteSequence)
        {
            writer.WriteBase64StringValue(memory.Read(dataStart, length));
            return;
        }

        Elements(writer, type.Element!, dataStart, length);
    }

    private void Elements(Utf8JsonWriter writer, AsType element, uint start, int count)
    {
        writer.WriteStartArray();
        for (var i = 0; i < count; i++)
        {
            At(writer, element, start + (uint)(i * element.Size));
        }

        writer.WriteEndArray();
    }

    /// <summary>The live entries of an AssemblyScript map (deleted ones carry bit 0 in their next pointer), in insertion order.</summary>
    private void Map(Utf8JsonWriter writer, AsType type, uint pointer)
    {
        var header = memory.Read(pointer, 24);
        var entries = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        var capacity = BinaryPrimitives.ReadInt32LittleEndian(header[12..]);
        var used = BinaryPrimitives.ReadInt32LittleEndian(header[16..]);
        var (valueOffset, nextOffset, entrySize) = AsLayout.MapEntry(type.Key!, type.Element!);
        if (used < 0 || capacity < used || (long)used * entrySize > MaxBytes)
        {
            throw new AsCodecException($"map at {pointer} claims {used} entries");
        }

        writer.WriteStartArray();
        for (var i = 0; i < used; i++)
        {
            var entry = entries + (uint)(i * entrySize);
            if ((BinaryPrimitives.ReadUInt32LittleEndian(memory.Read(entry + (uint)nextOffset, 4)) & 1) != 0)
            {
                continue;
            }

            writer.WriteStartObject();
            writer.WritePropertyName("key");
            At(writer, type.Key!, entry);
            writer.WritePropertyName("value");
            At(writer, type.Element!, entry + (uint)valueOffset);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private void Object(Utf8JsonWriter writer, AsType type, uint pointer)
    {
        var visits = _visits.GetValueOrDefault(pointer);
        if (visits >= MaxDepth)
        {
            writer.WriteNullValue();
            return;
        }

        var (definition, offsets, _) = layouts.Of(type);
        _visits[pointer] = visits + 1;
        writer.WriteStartObject();
        for (var i = 0; i < offsets.Length; i++)
        {
            writer.WritePropertyName(definition.Fields[i].Name);
            At(writer, definition.Fields[i].Type, pointer + (uint)offsets[i]);
        }

        writer.WriteEndObject();
        _visits[pointer] = visits;
    }

    private static void Float(Utf8JsonWriter writer, double value, AsType type)
    {
        if (!double.IsFinite(value))
        {
            throw new AsCodecException($"the value contains a {type.Name} {value} that cannot be written as JSON");
        }

        writer.WriteNumberValue(value);
    }

    private static void Float(Utf8JsonWriter writer, float value, AsType type)
    {
        if (!float.IsFinite(value))
        {
            throw new AsCodecException($"the value contains a {type.Name} {value} that cannot be written as JSON");
        }

        writer.WriteNumberValue(value);
    }

    private static int Checked(uint length) =>
        length <= MaxBytes ? (int)length : throw new AsCodecException($"a length of {length} bytes is beyond the {MaxBytes}-byte limit");

    private static int Checked(int length) => Checked((uint)length);
}
