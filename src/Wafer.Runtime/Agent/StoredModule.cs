using System.Text.Json;

namespace Wafer.Runtime.Agent;

/// <summary>A placed module as kept on disk, so a restarted runtime serves what it had before it rejoins.</summary>
public sealed record StoredModule(string ModuleId, string Plugin, string Hash, JsonElement Manifest, IReadOnlyDictionary<string, string>? Config);
