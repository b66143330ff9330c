using System.Buffers;
using System.Buffers.Binary;
using Wafer.Protocol.Modus;
using Wafer.Runtime.Modus.Codec;
using Wafer.Wasm.Abi;

namespace Wafer.Runtime.Tests.Modus;

/// <summary>
/// The AssemblyScript codec against an in-memory heap that behaves like AssemblyScript's (object header with class
/// id and size, zeroed allocations, pins counted): layouts by metadata, maps hashed so a lookup finds their keys,
/// and clear errors for values a type does not allow. The fixtures' guests check the same layouts end to end.
/// </summary>
public sealed class AsCodecTests
{
    private static readonly ModusMetadata Metadata = new("codec", "modus-sdk-as@dev", null, null, null, null, [], [],
        new Dictionary<string, ModusTypeDefinition>
        {
            ["assembly/t/Obj"] = new("assembly/t/Obj", 40,
            [
                new("a", AsType.Parse("bool"), null),
                new("b", AsType.Parse("i64"), null),
                new("c", AsType.Parse("~lib/string/String | null"), null),
                new("d", AsType.Parse("~lib/array/Array<f32>"), null),
                new("e", AsType.Parse("~lib/map/Map<~lib/string/String,i32>"), null),
                new("f", AsType.Parse("~lib/wasi_date/wasi_Date"), null),
            ], null),
            ["~lib/array/Array<f32>"] = new("~lib/array/Array<f32>", 41, [], null),
            ["~lib/map/Map<~lib/string/String,i32>"] = new("~lib/map/Map<~lib/string/String,i32>", 42, [], null),
            ["~lib/wasi_date/wasi_Date"] = new("~lib/wasi_date/wasi_Date", 43, [], null),
        });

    private const string Value = """{"a":true,"b":-9223372036854775808,"c":"h\u00e9llo \ud83d\udc4b","d":[1.5,-2],"e":[{"key":"x","value":1},{"key":"y","value":-2}],"f":"2024-12-31T23:59:59.999Z"}""";

    [Fact]
    public void Class_WrittenAndReadBack_IsTheSameValue_WithFieldsAtTheirAlignedOffsets()
    {
        var heap = new FakeHeap();
        var type = AsType.Parse("assembly/t/Obj");
        var pointer = new AsWriter(heap, new AsLayouts(Metadata)).Reference(type, JsonDocument.Parse(Value).RootElement);

        Assert.Equal(40u, BinaryPrimitives.ReadUInt32LittleEndian(heap.Read(pointer - 8, 4)));
        Assert.Equal(32u, BinaryPrimitives.ReadUInt32LittleEndian(heap.Read(pointer - 4, 4)));
        Assert.Equal(long.MinValue, BinaryPrimitives.ReadInt64LittleEndian(heap.Read(pointer + 8, 8)));
        var map = BinaryPrimitives.ReadUInt32LittleEndian(heap.Read(pointer + 24, 4));
        Assert.Equal(42u, BinaryPrimitives.ReadUInt32LittleEndian(heap.Read(map - 8, 4)));
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(Value), System.Text.Json.Nodes.JsonNode.Parse(Read(heap, type, pointer))),
            Read(heap, type, pointer));
        Assert.True(heap.Pins > 8, "every object the host allocates is pinned");
    }

    [Fact]
    public void Map_KeysAreInTheBucketsTheirHashNames()
    {
        var heap = new FakeHeap();
        var type = AsType.Parse("~lib/map/Map<~lib/string/String,i32>");
        var map = new AsWriter(heap, new AsLayouts(Metadata)).Reference(type, JsonDocument.Parse("""[{"key":"x","value":1},{"key":"yy","value":2}]""").RootElement);
        var buckets = BinaryPrimitives.ReadUInt32LittleEndian(heap.Read(map, 4));
        var mask = BinaryPrimitives.ReadUInt32LittleEndian(heap.Read(map + 4, 4));
        foreach (var (key, value) in new[] { ("x", 1), ("yy", 2) })
        {
            // As Map.get does: hash the key's UTF-16 bytes, take the bucket's chain, compare keys.
            var entry = BinaryPrimitives.ReadUInt32LittleEndian(heap.Read(buckets + (AsHash.Bytes(System.Text.Encoding.Unicode.GetBytes(key)) & mask) * 4, 4));
            while (entry != 0 && Read(heap, AsType.Parse("~lib/string/String"), BinaryPrimitives.ReadUInt32LittleEndian(heap.Read(entry, 4))) != JsonSerializer.Serialize(key))
            {
                entry = BinaryPrimitives.ReadUInt32LittleEndian(heap.Read(entry + 8, 4)) & ~1u;
            }

            Assert.NotEqual(0u, entry);
            Assert.Equal(value, BinaryPrimitives.ReadInt32LittleEndian(heap.Read(entry + 4, 4)));
        }
    }

    [Fact]
    public void Hash_IsXxHash32WithSeedZero()
    {
        Assert.Equal(0x02CC5D05u, AsHash.Bytes([]));
        Assert.Equal(0x32D153FFu, AsHash.Bytes("abc"u8));
    }

    [Fact]
    public void NullForANonNullableType_IsRefusedBothWays_NamingTheType()
    {
        var heap = new FakeHeap();
        var layouts = new AsLayouts(Metadata);
        var write = Assert.Throws<AsCodecException>(() => new AsWriter(heap, layouts).Reference(AsType.Parse("~lib/string/String"), JsonDocument.Parse("null").RootElement));
        Assert.Contains("non-nullable type ~lib/string/String", write.Message);
        var read = Assert.Throws<AsCodecException>(() => Read(heap, AsType.Parse("~lib/array/Array<f32>"), 0));
        Assert.Equal("unexpected null pointer for non-nullable type ~lib/array/Array<f32>", read.Message);
        Assert.Equal("null", Read(heap, AsType.Parse("~lib/string/String | null"), 0));
    }

    [Fact]
    public void Stack_WideAndNarrowIntegers_KeepTheirBits()
    {
        var writer = new AsWriter(new FakeHeap(), new AsLayouts(Metadata));
        Assert.Equal(ulong.MaxValue, writer.Stack(AsType.Parse("u64"), JsonDocument.Parse("18446744073709551615").RootElement).Bits);
        Assert.Equal(-1, writer.Stack(AsType.Parse("u32"), JsonDocument.Parse("4294967295").RootElement).I32);
        var json = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(json))
        {
            new AsReader(new FakeHeap(), new AsLayouts(Metadata)).Stack(w, AsType.Parse("u32"), WasmValue.FromI32(-1));
        }

        Assert.Equal("4294967295", System.Text.Encoding.UTF8.GetString(json.WrittenSpan));
    }

    private static string Read(IAsMemory heap, AsType type, uint pointer)
    {
        var json = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(json))
        {
            new AsReader(heap, new AsLayouts(Metadata)).Reference(writer, type, pointer);
        }

        return System.Text.Encoding.UTF8.GetString(json.WrittenSpan);
    }

    /// <summary>A bump allocator with AssemblyScript's 20-byte object header: class id at ptr-8, payload size at ptr-4.</summary>
    private sealed class FakeHeap : IAsMemory
    {
        private readonly byte[] _memory = new byte[1 << 20];
        private uint _next = 64;

        public int Pins { get; private set; }

        public ReadOnlySpan<byte> Read(uint address, int length) => _memory.AsSpan((int)address, length);

        public Span<byte> Write(uint address, int length) => _memory.AsSpan((int)address, length);

        public uint New(int size, int classId)
        {
            var pointer = (_next + 20 + 15) & ~15u;
            BinaryPrimitives.WriteUInt32LittleEndian(_memory.AsSpan((int)pointer - 8), (uint)classId);
            BinaryPrimitives.WriteUInt32LittleEndian(_memory.AsSpan((int)pointer - 4), (uint)size);
            _next = pointer + (uint)size;
            Pins++;
            return pointer;
        }
    }
}
