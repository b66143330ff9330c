using Wasmtime;

namespace Wafer.Wasm.Imports;

/// <summary>One host import a module may declare, with the signature it must have.</summary>
internal sealed record HostImport(string Module, string Name, IReadOnlyList<ValueKind> Parameters, IReadOnlyList<ValueKind> Results)
{
    public string Signature => Describe(Parameters, Results);

    public static string Describe(IReadOnlyList<ValueKind> parameters, IReadOnlyList<ValueKind> results) =>
        $"({string.Join(", ", parameters.Select(KindName))}) -> ({string.Join(", ", results.Select(KindName))})";

    private static string KindName(ValueKind kind) => kind switch
    {
        ValueKind.Int32 => "i32",
        ValueKind.Int64 => "i64",
        ValueKind.Float32 => "f32",
        ValueKind.Float64 => "f64",
        ValueKind.V128 => "v128",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
