namespace Wafer.Cli.Deploying;

/// <summary>One plugin to deploy: where it is (a <c>.wasm</c> or a plugin folder), under which name, how many replicas, where, with which config.</summary>
public sealed record DeployItem(
    string Path,
    string? Name,
    int Replicas,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Config);
