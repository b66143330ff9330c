using Wafer.Wasm.Native;
using Wasmtime;

namespace Wafer.Wasm.Imports;

/// <summary>
/// A guest's exported memory as host code sees it. After instantiation it is read through the C API from the
/// export the instance resolved anyway (<see cref="Raw"/>), which spares each fresh instance a wrapper object and
/// four native calls; only a host import called by the start function, before that, goes through the wrapper.
/// </summary>
internal sealed unsafe class LinearMemory
{
    private readonly Memory? _wrapper;
    private readonly nint _context;
    private readonly RawMemory _raw;

    private LinearMemory(Memory? wrapper, nint context, RawMemory raw)
    {
        _wrapper = wrapper;
        _context = context;
        _raw = raw;
    }

    public static LinearMemory Raw(nint context, RawMemory memory) => new(null, context, memory);

    public static LinearMemory Wrap(Memory memory) => new(memory, 0, default);

    /// <summary>The size in bytes now (memory may grow during a call).</summary>
    public long GetLength() => _wrapper?.GetLength() ?? (long)WasmtimeNative.wasmtime_memory_data_size(_context, _raw);

    /// <summary>The bytes <c>[start, start + length)</c>; the caller has checked them against <see cref="GetLength"/>.</summary>
    public Span<byte> GetSpan(long start, int length) =>
        _wrapper is not null
            ? _wrapper.GetSpan(start, length)
            : new Span<byte>(WasmtimeNative.wasmtime_memory_data(_context, _raw) + start, length);
}
