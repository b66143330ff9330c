using System.Buffers.Binary;
using System.Text;
using Wasmtime;

namespace Wafer.Wasm.Imports;

/// <summary>Bounds-checked access to guest memory for host imports: a bad pointer ends the call, never the host.</summary>
internal static class GuestMemory
{
    public const int MaxLogBytes = 16 * 1024;

    /// <summary>Upper bound on AssemblyScript strings the host decodes (abort messages, file names, traces).</summary>
    private const int MaxStringBytes = 2 * MaxLogBytes;

    public static LinearMemory Of(Caller caller, CallState state, string import)
    {
        if (state.Memory is { } memory)
        {
            return memory;
        }

        // Only before the instance is ready, i.e. from the start function.
        var exported = caller.GetMemory("memory") ?? throw state.Fail(InvocationStatus.Trap, $"{import}: the module exports no memory");
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
            throw state.Fail(InvocationStatus.Trap,
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
            throw state.Fail(InvocationStatus.Trap,
                $"{import}: range [{start}, {start + length}) is outside guest memory ({size} bytes)");
        }

        return length == 0 ? [] : memory.GetSpan(start, (int)length);
    }

    /// <summary>Decodes UTF-8, cutting the input at <paramref name="maxBytes"/> on a character boundary.</summary>
    public static string Utf8(ReadOnlySpan<byte> bytes, int maxBytes)
    {
        if (bytes.Length > maxBytes)
        {
            var cut = maxBytes;
            while (cut > 0 && (bytes[cut] & 0xC0) == 0x80)
            {
                cut--;
            }

            bytes = bytes[..cut];
        }

        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>
    /// An AssemblyScript string: UTF-16LE with its byte length as a u32 at <c>ptr - 4</c>; 0 means none.
    /// </summary>
    public static string? AssemblyScriptString(LinearMemory memory, CallState state, int ptr, string import)
    {
        if (ptr == 0)
        {
            return null;
        }

        var address = (uint)ptr;
        if (address < 4)
        {
            throw state.Fail(InvocationStatus.Trap, $"{import}: string pointer {address} is outside guest memory");
        }

        var header = Read(memory, state, (int)(address - 4), 4, import);
        var byteLength = BinaryPrimitives.ReadUInt32LittleEndian(header);
        var bytes = Read(memory, state, (int)address, (int)byteLength, import);
        var usable = Math.Min(bytes.Length, MaxStringBytes) & ~1;
        return Encoding.Unicode.GetString(bytes[..usable]);
    }
}
