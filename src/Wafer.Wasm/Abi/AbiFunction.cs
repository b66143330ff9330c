namespace Wafer.Wasm.Abi;

/// <summary>A function of the module's import or export section: its name and core signature.</summary>
public sealed record AbiFunction(string Module, string Name, IReadOnlyList<WasmValueType> Parameters, IReadOnlyList<WasmValueType> Results)
{
    /// <summary>An export the adapter calls; <paramref name="optional"/> exports may be missing.</summary>
    public static AbiFunction Export(string name, WasmValueType[] parameters, WasmValueType[] results, bool optional = false) =>
        new("", name, parameters, results) { Optional = optional };

    public bool Optional { get; init; }

    public string QualifiedName => Module.Length == 0 ? Name : Module + "." + Name;

    public string Signature => Describe(Parameters, Results);

    public static string Describe(IReadOnlyList<WasmValueType> parameters, IReadOnlyList<WasmValueType> results) =>
        $"({string.Join(", ", parameters.Select(p => p.ToString().ToLowerInvariant()))}) -> ({string.Join(", ", results.Select(r => r.ToString().ToLowerInvariant()))})";
}
