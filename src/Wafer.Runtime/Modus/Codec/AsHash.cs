using System.Numerics;

namespace Wafer.Runtime.Modus.Codec;

/// <summary>
/// The hash AssemblyScript's <c>Map</c> buckets keys by (std/assembly/util/hash.ts): xxHash32 with seed 0 over a
/// string's UTF-16 bytes or a 4- or 8-byte key's little-endian bytes, and a short form for 1- and 2-byte keys.
/// A host-written map must use it, or the guest's <c>Map.get</c> will not find the keys.
/// </summary>
internal static class AsHash
{
    private const uint P1 = 2654435761;
    private const uint P2 = 2246822519;
    private const uint P3 = 3266489917;
    private const uint P4 = 668265263;
    private const uint P5 = 374761393;

    public static uint Bytes(ReadOnlySpan<byte> data)
    {
        var length = data.Length;
        var i = 0;
        uint hash;
        if (length >= 16)
        {
            uint s1 = unchecked(P1 + P2), s2 = P2, s3 = 0, s4 = unchecked(0 - P1);
            for (; i <= length - 16; i += 16)
            {
                s1 = Round(s1, Word(data, i));
                s2 = Round(s2, Word(data, i + 4));
                s3 = Round(s3, Word(data, i + 8));
                s4 = Round(s4, Word(data, i + 12));
            }

            hash = BitOperations.RotateLeft(s1, 1) + BitOperations.RotateLeft(s2, 7) + BitOperations.RotateLeft(s3, 12) + BitOperations.RotateLeft(s4, 18);
        }
        else
        {
            hash = P5;
        }

        hash += (uint)length;
        for (; i + 4 <= length; i += 4)
        {
            hash = BitOperations.RotateLeft(hash + (Word(data, i) * P3), 17) * P4;
        }

        for (; i < length; i++)
        {
            hash = BitOperations.RotateLeft(hash + (data[i] * P5), 11) * P1;
        }

        return Avalanche(hash);
    }

    /// <summary>The short form for keys of 1 or 2 bytes.</summary>
    public static uint Small(uint value, int size) =>
        Avalanche(BitOperations.RotateLeft(P5 + (uint)size + (value * P3), 17) * P4);

    private static uint Round(uint seed, uint input) => BitOperations.RotateLeft(seed + (input * P2), 13) * P1;

    private static uint Word(ReadOnlySpan<byte> data, int at) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(data[at..]);

    private static uint Avalanche(uint hash)
    {
        hash ^= hash >> 15;
        hash *= P2;
        hash ^= hash >> 13;
        hash *= P3;
        hash ^= hash >> 16;
        return hash;
    }
}
