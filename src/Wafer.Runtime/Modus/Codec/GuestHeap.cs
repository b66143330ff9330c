using Wafer.Wasm.Abi;

namespace Wafer.Runtime.Modus.Codec;

/// <summary>
/// <see cref="IAsMemory"/> over one call's instance: memory through the session, allocation through the module's
/// <c>__new</c> and <c>__pin</c> exports. Every pin is remembered and released by <see cref="UnpinAll"/>: export
/// arguments after the export returns, a host function's result right after it is written, as Modus did.
/// </summary>
internal sealed class GuestHeap(IGuestSession session, ModusExports exports) : IAsMemory
{
    private List<uint>? _pins;

    public ReadOnlySpan<byte> Read(uint address, int length) => session.Read(address, length);

    public Span<byte> Write(uint address, int length) => session.Write(address, length);

    public uint New(int size, int classId)
    {
        Span<WasmValue> values = stackalloc WasmValue[2];
        values[0] = WasmValue.FromI32(size);
        values[1] = WasmValue.FromI32(classId);
        session.Call(exports.New, values);
        var pointer = (uint)values[0].I32;
        if (pointer == 0)
        {
            throw new Codec.AsCodecException($"__new({size}, {classId}) returned a null pointer");
        }

        values[0] = WasmValue.FromI32((int)pointer);
        session.Call(exports.Pin, values[..1]);
        (_pins ??= []).Add(pointer);
        return pointer;
    }

    public void UnpinAll()
    {
        if (_pins is null)
        {
            return;
        }

        Span<WasmValue> value = stackalloc WasmValue[1];
        foreach (var pointer in _pins)
        {
            value[0] = WasmValue.FromI32((int)pointer);
            session.Call(exports.Unpin, value);
        }

        _pins.Clear();
    }
}
