using System.Collections.Frozen;

namespace Wafer.Runtime.Modus.Host;

/// <summary>Every Modus host function Wafer provides, by <c>module.name</c>; a module importing anything else is refused at load.</summary>
internal sealed class ModusHostFunctions
{
    public const string LogMessage = "modus_system.logMessage";

    private readonly FrozenDictionary<string, ModusHostFunction> _functions;

    public ModusHostFunctions(IEnumerable<IModusHostModule> modules) =>
        _functions = modules.SelectMany(m => m.Functions).ToFrozenDictionary(StringComparer.Ordinal);

    public ModusHostFunction? Find(string key, ModusApp app, out string? refusal)
    {
        if (_functions.TryGetValue(key, out var function))
        {
            refusal = null;
            return function;
        }

        refusal = key switch
        {
            _ when key.StartsWith("modus_neo4j_client.", StringComparison.Ordinal) =>
                "Neo4j connections are not supported: Wafer does not provide modus_neo4j_client, so this app cannot load",
            _ when key.StartsWith("modus_", StringComparison.Ordinal) => "Wafer does not provide this Modus host function",
            _ => "not a host function Wafer provides (Modus apps may import modus_* and WASI functions)",
        };
        return null;
    }
}
