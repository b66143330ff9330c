namespace Wafer.ControlPlane.Api;

/// <summary>A deploy request after reading, whatever its encoding; not yet checked against the store.</summary>
internal sealed record DeploymentInput(
    string? Name,
    byte[]? Wasm,
    string? WasmFileName,
    string? Manifest,
    string? Hash,
    int Replicas,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Config,
    bool AllowShadowing = false);
