using System.Text.Json;
using Wafer.Protocol.V1;

namespace Wafer.Runtime.Agent;

/// <summary>A placed module as kept on disk, so a restarted runtime serves what it had before it rejoins.</summary>
/// <param name="Program">A program module's program, so a restarted runtime runs it again as its restart policy says.</param>
/// <param name="Ended">The program's last run ended and its policy does not start it again: a restart leaves it ended.</param>
public sealed record StoredModule(
    string ModuleId, string Plugin, string Hash, JsonElement Manifest, IReadOnlyDictionary<string, string>? Config,
    ProgramBody? Program = null, bool Ended = false);
