using Wafer.Protocol.Manifest;
using Wafer.Protocol.Modus;

namespace Wafer.Runtime.Modus;

/// <summary>A loaded Modus app: its plugin manifest (from <c>modus.json</c>) and the Modus settings Wafer's manifest has no place for.</summary>
public sealed record ModusApp(PluginManifest Manifest, ModusManifest Modus, ModusMetadata Metadata)
{
    /// <summary>The app's calling convention, for the agents that run in long-lived instances of it.</summary>
    internal ModusAbi? Abi { get; set; }
}
