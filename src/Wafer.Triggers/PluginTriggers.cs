using Wafer.Protocol.Manifest;
using Wafer.Protocol.Metadata;

namespace Wafer.Triggers;

/// <summary>
/// The triggers of one plugin as a host serves it: its name (a deployment's name in a fleet), the version they came
/// from, and its metadata, which says how an MQTT payload maps to a function's parameters.
/// </summary>
public sealed record PluginTriggers(string Plugin, string Version, IReadOnlyList<TriggerSpec> Triggers, PluginMetadata? Metadata)
{
    /// <summary>Identifies one trigger across updates: the same plugin, version and declaration keep running as they are.</summary>
    public string KeyOf(TriggerSpec trigger) => $"{Plugin}\n{Version}\n{trigger.Path}";

    public FunctionMetadata? Function(string name) => Metadata?.Functions.FirstOrDefault(f => f.Name == name);
}
