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

        refusal = key.StartsWith("modus_", StringComparison.Ordinal)
            ? "Wafer does not provide this Modus host function"
            : "not a host function Wafer provides (Modus apps may import modus_* and WASI functions)";
        return null;
    }
}
