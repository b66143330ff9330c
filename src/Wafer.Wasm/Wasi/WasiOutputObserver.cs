namespace Wafer.Wasm.Wasi;

/// <summary>Hears bytes a guest writes to stdout or stderr while it runs; <paramref name="data"/> is valid only during the call.</summary>
public delegate void WasiOutputObserver(ReadOnlySpan<byte> data);
