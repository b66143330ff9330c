using System.Buffers.Binary;
using Wafer.Protocol.Modus;

namespace Wafer.Runtime.Modus.Codec;

/// <summary>
/// Memory layouts of AssemblyScript objects (wasm32, little-endian): the object header, classes with fields in
/// metadata order each aligned to its own size, arrays, typed arrays, maps and dates.
/// </summary>
internal static class AsLayout
{
    public const int StringId = 2;
    public const int ArrayBufferId = 1;

    /// <summary>The class id is the u32 8 bytes before an object, its payload size the u32 4 bytes before it.</summary>
    public static (uint ClassId, uint Size) Header(IAsMemory memory, uint pointer)
    {
        if (pointer < 20)
        {
            throw new AsCodecException($"pointer {pointer} is not an object");
        }

        var header = memory.Read(pointer - 8, 8);
        return (BinaryPrimitives.ReadUInt32LittleEndian(header), BinaryPrimitives.ReadUInt32LittleEndian(header[4..]));
    }

    /// <summary>Field offsets and the object size a host allocates: the end rounded up to the largest field alignment.</summary>
    public static (int[] Offsets, int Size) Class(ModusTypeDefinition definition)
    {
        var offsets = new int[definition.Fields.Count];
        var offset = 0;
        var largest = 1;
        for (var i = 0; i < offsets.Length; i++)
        {
            var size = definition.Fields[i].Type.Size;
            offset = Align(offset, size);
            offsets[i] = offset;
            offset += size;
            largest = Math.Max(largest, size);
        }

        return (offsets, Align(offset, largest));
    }

    /// <summary>Where a map entry's value and its tagged next pointer lie, and the entry size (std/assembly/map.ts).</summary>
    public static (int Value, int Next, int Size) MapEntry(AsType key, AsType value)
    {
        var valueOffset = Align(Math.Max(key.Size, 4), value.Size);
        var next = valueOffset + Align(value.Size, value.Size);
        next = Align(next, 4);
        return (valueOffset, next, Align(next + 4, Math.Max(Math.Max(key.Size, value.Size), 4)));
    }

    public static int Align(int offset, int alignment) => alignment <= 1 ? offset : (offset + alignment - 1) / alignment * alignment;
}
