using Wafer.Protocol.Calls;

namespace Wafer.Wasm.Abi;

/// <summary>
/// One instance during one call, as an <see cref="IModuleAbi"/> sees it: bounds-checked guest memory and calls of
/// the adapter's exports. Spans into memory are valid only until the next guest call (memory may grow and move).
/// </summary>
public interface IGuestSession
{
    IGuestCallContext Context { get; }

    /// <summary>The adapter's own per-call state; cleared when the call ends.</summary>
    object? State { get; set; }

    /// <summary>The guest memory's size in bytes now.</summary>
    long MemorySize { get; }

    /// <summary>The bytes <c>[address, address + length)</c>; a range outside memory ends the call as a trap.</summary>
    ReadOnlySpan<byte> Read(uint address, int length);

    /// <summary>The writable bytes <c>[address, address + length)</c>; a range outside memory ends the call as a trap.</summary>
    Span<byte> Write(uint address, int length);

    /// <summary>Whether export <paramref name="export"/> (an index into <see cref="IModuleAbi.Exports"/>) is present.</summary>
    bool Has(int export);

    /// <summary>Calls an export: arguments in, results out, in the same span (sized for the larger of the two).</summary>
    void Call(int export, Span<WasmValue> argumentsAndResults);

    /// <summary>Records why the call ends and returns the exception to throw; the status and message win over any trap's.</summary>
    Exception Fail(CallStatus status, string message);
}
