namespace Wafer.Protocol.Manifest;

/// <summary>What a plugin's wasm is (manifest <c>type</c>).</summary>
public enum PluginType
{
    /// <summary>Typed functions through the Wafer ABI (docs/abi.md): served over GraphQL and REST.</summary>
    Functions,

    /// <summary>A WASI command module (<c>_start</c>): run as jobs and as HTTP handlers.</summary>
    Command,
}
