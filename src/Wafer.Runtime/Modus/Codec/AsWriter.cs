using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Wafer.Protocol.Metadata;
using Wafer.Protocol.Modus;
using Wafer.Wasm.Abi;

namespace Wafer.Runtime.Modus.Codec;

/// <summary>
/// Writes JSON values into guest memory as AssemblyScript objects of their metadata types (the inverse of
/// <see cref="AsReader"/>). Every object is allocated with <c>__new</c> and pinned (<see cref="IAsMemory.New"/>) so
/// no collection step frees it while the host links it: the pointers are written without write barriers. Maps
/// are real AssemblyScript hash maps, so the guest's <c>Map.get</c> finds host-written keys. Object fields match by
/// exact name, else ignoring case (host structures such as dgraph's <c>Json</c>); a missing field is zero or null.
/// </summary>
internal sealed class AsWriter(IAsMemory memory, AsLayouts layouts)
{
    /// <summary>A value for the wasm stack (an export's argument, a host function's result).</summary>
    public WasmValue Stack(AsType type, JsonElement value) => type.Kind switch
    {
        AsTypeKind.Bool => WasmValue.FromI32(Boolean(value, type) ? 1 : 0),
        AsTypeKind.I8 or AsTypeKind.U8 or AsTypeKind.I16 or AsTypeKind.U16 or AsTypeKind.I32 or AsTypeKind.U32 =>
            WasmValue.FromI32((int)Integer(value, type)),
        AsTypeKind.I64 or AsTypeKind.U64 => WasmValue.FromI64(Integer(value, type)),
        AsTypeKind.F32 => WasmValue.FromF32((float)Number(value, type)),
        AsTypeKind.F64 => WasmValue.FromF64(Number(value, type)),
        _ => WasmValue.FromI32((int)Reference(type, value)),
    };

    /// <summary>Stores a value at <paramref name="address"/> (a field, an element, a map entry).</summary>
    public void At(AsType type, uint address, JsonElement value)
    {
        switch (type.Kind)
        {
            case AsTypeKind.Bool: memory.Write(address, 1)[0] = Boolean(value, type) ? (byte)1 : (byte)0; break;
            case AsTypeKind.I8 or AsTypeKind.U8: memory.Write(address, 1)[0] = (byte)Integer(value, type); break;
            case AsTypeKind.I16 or AsTypeKind.U16: BinaryPrimitives.WriteInt16LittleEndian(memory.Write(address, 2), (short)Integer(value, type)); break;
            case AsTypeKind.I32 or AsTypeKind.U32: BinaryPrimitives.WriteInt32LittleEndian(memory.Write(address, 4), (int)Integer(value, type)); break;
            case AsTypeKind.I64 or AsTypeKind.U64: BinaryPrimitives.WriteInt64LittleEndian(memory.Write(address, 8), Integer(value, type)); break;
            case AsTypeKind.F32: BinaryPrimitives.WriteSingleLittleEndian(memory.Write(address, 4), (float)Number(value, type)); break;
            case AsTypeKind.F64: BinaryPrimitives.WriteDoubleLittleEndian(memory.Write(address, 8), Number(value, type)); break;
            default:
                // Allocate first: the allocation may move memory, so the destination is looked up after it.
                var pointer = Reference(type, value);
                BinaryPrimitives.WriteUInt32LittleEndian(memory.Write(address, 4), pointer);
                break;
        }
    }

    /// <summary>A managed object for <paramref name="value"/>; JSON null (or nothing) is the null pointer of a nullable type.</summary>
    public uint Reference(AsType type, JsonElement value)
    {
        if (value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return type.IsNullable ? 0u : throw new AsCodecException($"null is not a value of non-nullable type {type.Name}");
        }

        return type.Kind switch
        {
            AsTypeKind.String => String(StringValue(value, type)),
            AsTypeKind.ArrayBuffer => Buffer(Bytes(value, type)),
            AsTypeKind.TypedArray => TypedArray(type, value),
            AsTypeKind.Array => Array(type, value),
            AsTypeKind.Map => Map(type, value),
            AsTypeKind.Date => Date(type, value),
            _ => Object(type, value),
        };
    }

    public uint String(string text)
    {
        var byteCount = text.Length * 2;
        var pointer = memory.New(byteCount, AsLayout.StringId);
        Encoding.Unicode.GetBytes(text, memory.Write(pointer, byteCount));
        return pointer;
    }

    private uint Buffer(ReadOnlySpan<byte> bytes)
    {
        var pointer = memory.New(bytes.Length, AsLayout.ArrayBufferId);
        bytes.CopyTo(memory.Write(pointer, bytes.Length));
        return pointer;
    }

    private uint TypedArray(AsType type, JsonElement value)
    {
        var id = layouts.ClassId(type);
        var element = type.Element!;
        uint buffer;
        int byteLength;
        if (type.IsByteSequence && value.ValueKind == JsonValueKind.String)
        {
            var bytes = Bytes(value, type);
            byteLength = bytes.Length;
            buffer = Buffer(bytes);
        }
        else
        {
            var items = Items(value, type);
            byteLength = items.Length * element.Size;
            buffer = memory.New(byteLength, AsLayout.ArrayBufferId);
            for (var i = 0; i < items.Length; i++)
            {
                At(element, buffer + (uint)(i * element.Size), items[i]);
            }
        }

        var pointer = memory.New(12, id);
        var header = memory.Write(pointer, 12);
        BinaryPrimitives.WriteUInt32LittleEndian(header, buffer);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], buffer);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], byteLength);
        return pointer;
    }

    private uint Array(AsType type, JsonElement value)
    {
        var id = layouts.ClassId(type);
        var element = type.Element!;
        uint buffer = 0;
        int length;
        if (type.IsByteSequence && value.ValueKind == JsonValueKind.String)
        {
            var bytes = Bytes(value, type);
            length = bytes.Length;
            buffer = length == 0 ? 0 : Buffer(bytes);
        }
        else
        {
            var items = Items(value, type);
            length = items.Length;
            if (length > 0)
            {
                buffer = memory.New(length * element.Size, AsLayout.ArrayBufferId);
                for (var i = 0; i < items.Length; i++)
                {
                    At(element, buffer + (uint)(i * element.Size), items[i]);
                }
            }
        }

        // An empty array stays all zero (no buffer), as Modus wrote them.
        var pointer = memory.New(16, id);
        var header = memory.Write(pointer, 16);
        BinaryPrimitives.WriteUInt32LittleEndian(header, buffer);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], buffer);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], length * element.Size);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], length);
        return pointer;
    }

    private uint Map(AsType type, JsonElement value)
    {
        var id = layouts.ClassId(type);
        var pairs = Pairs(value, type);
        var bucketCount = 4;
        var capacity = 4;
        while (bucketCount < pairs.Count)
        {
            bucketCount <<= 1;
            capacity = bucketCount * 8 / 3;
        }

        var (valueOffset, nextOffset, entrySize) = AsLayout.MapEntry(type.Key!, type.Element!);
        var buckets = memory.New(4 * bucketCount, AsLayout.ArrayBufferId);
        var entries = memory.New(entrySize * capacity, AsLayout.ArrayBufferId);
        for (var i = 0; i < pairs.Count; i++)
        {
            var entry = entries + (uint)(i * entrySize);
            At(type.Key!, entry, pairs[i].Key);
            At(type.Element!, entry + (uint)valueOffset, pairs[i].Value);
            var bucket = buckets + (Hash(type.Key!, pairs[i].Key) & (uint)(bucketCount - 1)) * 4;
            var head = BinaryPrimitives.ReadUInt32LittleEndian(memory.Read(bucket, 4));
            BinaryPrimitives.WriteUInt32LittleEndian(memory.Write(entry + (uint)nextOffset, 4), head);
            BinaryPrimitives.WriteUInt32LittleEndian(memory.Write(bucket, 4), entry);
        }

        var pointer = memory.New(24, id);
        var header = memory.Write(pointer, 24);
        BinaryPrimitives.WriteUInt32LittleEndian(header, buckets);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], bucketCount - 1);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], entries);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], capacity);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], pairs.Count);
        BinaryPrimitives.WriteInt32LittleEndian(header[20..], pairs.Count);
        return pointer;
    }

    private uint Date(AsType type, JsonElement value)
    {
        DateTimeOffset time;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var milliseconds))
        {
            time = DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
        }
        else if (value.ValueKind != JsonValueKind.String || !Timestamps.TryParse(value.GetString()!, out time))
        {
            throw new AsCodecException($"{type.Name} needs an RFC 3339 date and time, got {Shown(value)}");
        }

        // Year, month and day as the guest's Date keeps them, then the epoch milliseconds the guest reads.
        var pointer = memory.New(24, layouts.ClassId(type));
        var data = memory.Write(pointer, 24);
        var utc = time.UtcDateTime;
        BinaryPrimitives.WriteInt32LittleEndian(data, utc.Year);
        BinaryPrimitives.WriteInt32LittleEndian(data[4..], utc.Month);
        BinaryPrimitives.WriteInt32LittleEndian(data[8..], utc.Day);
        BinaryPrimitives.WriteInt64LittleEndian(data[16..], time.ToUnixTimeMilliseconds());
        return pointer;
    }

    private uint Object(AsType type, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new AsCodecException($"{type.ShortName} needs an object, got {Shown(value)}");
        }

        var (definition, offsets, size) = layouts.Of(type);
        var pointer = memory.New(size, layouts.ClassId(type));
        for (var i = 0; i < offsets.Length; i++)
        {
            var field = definition.Fields[i];
            At(field.Type, pointer + (uint)offsets[i], Field(value, field.Name));
        }

        return pointer;
    }

    private static JsonElement Field(JsonElement value, string name)
    {
        if (value.TryGetProperty(name, out var exact))
        {
            return exact;
        }

        foreach (var property in value.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return default;
    }

    private static uint Hash(AsType key, JsonElement value)
    {
        if (key.Kind == AsTypeKind.String)
        {
            var text = value.GetString()!;
            return AsHash.Bytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(text.AsSpan()));
        }

        if (key.Size <= 2)
        {
            var raw = key.Kind == AsTypeKind.Bool ? (value.ValueKind == JsonValueKind.True ? 1u : 0u) : (uint)Integer(value, key);
            return AsHash.Small(key.Size == 1 ? raw & 0xFF : raw & 0xFFFF, key.Size);
        }

        Span<byte> bytes = stackalloc byte[8];
        switch (key.Kind)
        {
            case AsTypeKind.F32: BinaryPrimitives.WriteSingleLittleEndian(bytes, (float)Number(value, key)); break;
            case AsTypeKind.F64: BinaryPrimitives.WriteDoubleLittleEndian(bytes, Number(value, key)); break;
            default: BinaryPrimitives.WriteInt64LittleEndian(bytes, Integer(value, key)); break;
        }

        return AsHash.Bytes(bytes[..key.Size]);
    }

    private static List<(JsonElement Key, JsonElement Value)> Pairs(JsonElement value, AsType type)
    {
        var pairs = new List<(JsonElement, JsonElement)>();
        if (value.ValueKind == JsonValueKind.Object)
        {
            if (type.Key!.Kind != AsTypeKind.String)
            {
                throw new AsCodecException($"{type.Name} needs a list of {{\"key\", \"value\"}} objects");
            }

            foreach (var property in value.EnumerateObject())
            {
                using var key = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(property.Name));
                pairs.Add((key.RootElement.Clone(), property.Value));
            }

            return pairs;
        }

        foreach (var item in Items(value, type))
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("key", out var key))
            {
                throw new AsCodecException($"{type.Name} needs a list of {{\"key\", \"value\"}} objects, got {Shown(item)} in it");
            }

            pairs.Add((key, item.TryGetProperty("value", out var v) ? v : default));
        }

        return pairs;
    }

    private static JsonElement[] Items(JsonElement value, AsType type) =>
        value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray()] : throw new AsCodecException($"{type.Name} needs an array, got {Shown(value)}");

    private static byte[] Bytes(JsonElement value, AsType type)
    {
        if (value.ValueKind == JsonValueKind.String && value.TryGetBytesFromBase64(out var bytes))
        {
            return bytes;
        }

        if (value.ValueKind == JsonValueKind.Array)
        {
            return [.. value.EnumerateArray().Select(b => b.TryGetByte(out var x) ? x : throw new AsCodecException($"{type.Name} needs bytes 0-255, got {Shown(b)}"))];
        }

        throw new AsCodecException($"{type.Name} needs base64 text or an array of bytes, got {Shown(value)}");
    }

    private static string StringValue(JsonElement value, AsType type) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new AsCodecException($"{type.Name} needs a string, got {Shown(value)}");

    private static bool Boolean(JsonElement value, AsType type) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False or JsonValueKind.Null or JsonValueKind.Undefined => false,
        _ => throw new AsCodecException($"{type.Name} needs a boolean, got {Shown(value)}"),
    };

    /// <summary>Integers wrap to the type's width, as AssemblyScript stores them; the caller's range checks come first.</summary>
    private static long Integer(JsonElement value, AsType type)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return 0;
            case JsonValueKind.Number when value.TryGetInt64(out var signed):
                return signed;
            case JsonValueKind.Number when value.TryGetUInt64(out var unsigned):
                return (long)unsigned;
            case JsonValueKind.Number when value.TryGetDouble(out var real) && real == Math.Floor(real) && Math.Abs(real) < 9.3e18:
                return (long)real;
            default:
                throw new AsCodecException($"{type.Name} needs an integer, got {Shown(value)}");
        }
    }

    private static double Number(JsonElement value, AsType type) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => 0,
        JsonValueKind.Number => value.GetDouble(),
        _ => throw new AsCodecException($"{type.Name} needs a number, got {Shown(value)}"),
    };

    private static string Shown(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Undefined => "nothing",
        JsonValueKind.String => "a string",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => value.GetRawText(),
    };
}
