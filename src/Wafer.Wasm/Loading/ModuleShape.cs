namespace Wafer.Wasm.Loading;

/// <summary>What validation learned about a module that the call path needs.</summary>
internal sealed record ModuleShape(bool HasInitialize, long InitialMemoryBytes, bool UsesWasi = false);
