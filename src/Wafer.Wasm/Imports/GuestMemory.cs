using System.Buffers.Binary;
using System.Text;
using Wafer.Protocol.Calls;
using Wasmtime;

namespace Wafer.Wasm.Imports;

/// <summary>Bounds-checked access to guest memory for host imports: a bad pointer ends the call, never the host.</summary>
internal static class GuestMemory
{
    public static LinearMemory Of(Caller caller, CallState state, string import)
    {
        if (state.Memory is { } memory)
        {
            return memory;
        }

        // Only before the instance is ready, i.e. from the start function.
        var exported = caller.GetMemory("memory") ?? throw state.Fail(CallStatus.Trap, $"{import}: the module exports no memory");
        return state.Memory = LinearMemory.Wrap(exported);
    }

    /// <summary>The guest bytes <c>[ptr, ptr + len)</c>, both read as unsigned 32-bit values.</summary>
    public static ReadOnlySpan<byte> Read(LinearMemory memory, CallState state, int ptr, int len, string import)
    {
        var start = (long)(uint)ptr;
        var length = (long)(uint)len;
        var size = memory.GetLength();
        if (start + length > size)
        {
            throw state.Fail(CallStatus.Trap,
                $"{import}: range [{start}, {start + length}) is outside guest memory ({size} bytes)");
        }

        return length == 0 ? [] : memory.GetSpan(start, (int)length);
    }

    /// <summary>The writable guest bytes <c>[ptr, ptr + len)</c>, both read as unsigned 32-bit values.</summary>
    public static Span<byte> Writable(LinearMemory memory, CallState state, int ptr, int len, string import)
    {
        var start = (long)(uint)ptr;
        var length = (long)(uint)len;
        var size = memory.GetLength();
        if (start + length > size)
        {
            throw state.Fail(CallStatus.Trap,
                $"{import}: range [{start}, {start + length}) is outside guest memory ({size} bytes)");
        }

        return length == 0 ? [] : memory.GetSpan(start, (int)length);
    }

    /// <summary>
    /// An AssemblyScript string (UTF-16LE with its byte length as a u32 at <c>ptr - 4</c>; 0 means none), cut to
    /// <paramref name="maxBytes"/> bytes of UTF-8 with a marker counting the characters left out. Only what the cut
    /// can keep is decoded.
    /// </summary>
    public static string? AssemblyScriptString(LinearMemory memory, CallState state, int ptr, string import, int maxBytes)
    {
        if (ptr == 0)
        {
            return null;
        }

        var bytes = AssemblyScriptBytes(memory, state, ptr, import);

        // A UTF-16 code unit is at least one UTF-8 byte, so maxBytes units hold everything the cut can keep.
        var units = bytes.Length / 2;
        var decoded = Encoding.Unicode.GetString(bytes[..(Math.Min(units, maxBytes) * 2)]);
        var kept = GuestText.Prefix(decoded, maxBytes);
        return kept.Length == units ? kept : kept + GuestText.Marker(units - kept.Length, "characters");
    }

    /// <summary>The byte length of an AssemblyScript string, read from its header; 0 for none.</summary>
    public static int AssemblyScriptLength(LinearMemory memory, CallState state, int ptr, string import) =>
        ptr == 0 ? 0 : AssemblyScriptBytes(memory, state, ptr, import).Length;

    private static ReadOnlySpan<byte> AssemblyScriptBytes(LinearMemory memory, CallState state, int ptr, string import)
    {
        var address = (uint)ptr;
        if (address < 4)
        {
            throw state.Fail(CallStatus.Trap, $"{import}: string pointer {address} is outside guest memory");
        }

        var header = Read(memory, state, (int)(address - 4), 4, import);
        var byteLength = BinaryPrimitives.ReadUInt32LittleEndian(header);
        return Read(memory, state, (int)address, (int)byteLength, import);
    }
}
