using Wasmtime;

namespace Wafer.Wasm.Engines;

/// <summary>
/// One Wasmtime engine and the linker holding every host import, built once and shared by all modules compiled
/// for it. Modules compiled by one engine only run in stores of that engine.
/// </summary>
internal sealed class WasmEngine : IDisposable
{
    public WasmEngine(Engine engine, Linker linker, bool fuel, string fingerprint)
    {
        Engine = engine;
        Linker = linker;
        Fuel = fuel;
        Fingerprint = fingerprint;
    }

    public Engine Engine { get; }

    public Linker Linker { get; }

    /// <summary>Whether this engine meters fuel (compiled code differs, so modules are cached per engine).</summary>
    public bool Fuel { get; }

    /// <summary>Identifies the compiled-code format: part of every cache file name.</summary>
    public string Fingerprint { get; }

    public void Dispose()
    {
        Linker.Dispose();
        Engine.Dispose();
    }
}
