namespace Wafer.Runtime.Modus.Codec;

/// <summary>
/// What the AssemblyScript codec needs of a guest: bounds-checked memory and the runtime's allocator. Spans are
/// valid only until the next <see cref="New"/> (allocation may grow memory and move it).
/// </summary>
internal interface IAsMemory
{
    ReadOnlySpan<byte> Read(uint address, int length);

    Span<byte> Write(uint address, int length);

    /// <summary><c>__new(size, classId)</c> then <c>__pin</c>: a zero-filled object the collector will not free until unpinned.</summary>
    uint New(int size, int classId);
}
