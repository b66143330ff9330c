using System.Collections.Frozen;
using Wafer.Protocol.Metadata;

namespace Wafer.Gateway.Routes;

/// <summary>A deployment the gateway can reach: its plugin's metadata (null for command plugins) and replicas.</summary>
public sealed record DeploymentTarget(string Name, string Hash, PluginMetadata? Metadata, FrozenSet<string> Functions, ReplicaSet Replicas);
