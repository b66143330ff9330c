using Wafer.Protocol.Modus;
using Wafer.Wasm.Abi;

namespace Wafer.Runtime.Modus;

/// <summary>
/// The exports a Modus module's calls use, by index into <see cref="All"/>: its functions (in the order of its
/// function model), the AssemblyScript runtime's <c>__new</c>, <c>__pin</c>, <c>__unpin</c> and
/// <c>__setArgumentsLength</c> (only with optional parameters), and the agent entry points it has.
/// </summary>
internal sealed class ModusExports
{
    public ModusExports(ModusFunctionModel model, ModusMetadata metadata)
    {
        var all = model.Functions.Select(f => Signature(f, optional: false)).ToList();
        New = Add(all, AbiFunction.Export("__new", [WasmValueType.I32, WasmValueType.I32], [WasmValueType.I32]));
        Pin = Add(all, AbiFunction.Export("__pin", [WasmValueType.I32], [WasmValueType.I32]));
        Unpin = Add(all, AbiFunction.Export("__unpin", [WasmValueType.I32], []));
        SetArgumentsLength = Add(all, AbiFunction.Export("__setArgumentsLength", [WasmValueType.I32], [], optional: true));
        foreach (var agent in metadata.Exports.Where(f => f.Name.StartsWith("_modus_", StringComparison.Ordinal)))
        {
            Agents[agent.Name] = Add(all, Signature(agent, optional: true));
            AgentFunctions[agent.Name] = agent;
        }

        All = all;
    }

    public IReadOnlyList<AbiFunction> All { get; }

    public int New { get; }

    public int Pin { get; }

    public int Unpin { get; }

    public int SetArgumentsLength { get; }

    /// <summary>The agent entry points (<c>_modus_agent_*</c>) the metadata lists, by name.</summary>
    public Dictionary<string, int> Agents { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, ModusFunction> AgentFunctions { get; } = new(StringComparer.Ordinal);

    public static WasmValueType Kind(AsType type) => type.Kind switch
    {
        AsTypeKind.I64 or AsTypeKind.U64 => WasmValueType.I64,
        AsTypeKind.F32 => WasmValueType.F32,
        AsTypeKind.F64 => WasmValueType.F64,
        _ => WasmValueType.I32,
    };

    public static AbiFunction Signature(ModusFunction function, bool optional) =>
        AbiFunction.Export(function.Name, [.. function.Parameters.Select(p => Kind(p.Type))],
            function.Result is null ? [] : [Kind(function.Result)], optional);

    private static int Add(List<AbiFunction> all, AbiFunction export)
    {
        all.Add(export);
        return all.Count - 1;
    }
}
