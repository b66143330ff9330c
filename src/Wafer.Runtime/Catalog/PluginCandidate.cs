namespace Wafer.Runtime.Catalog;

/// <summary>
/// A plugin found in the plugins folder, before loading: its wasm file and manifest (if any), and a cheap
/// fingerprint (sizes and write times) that tells a rescan whether anything changed.
/// </summary>
public sealed record PluginCandidate(string SourcePath, string DefaultName, string WasmPath, string? ManifestPath, string Fingerprint);
