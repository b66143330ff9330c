using Wasmtime;

namespace Wafer.Wasm.Imports;

/// <summary>The host imports of docs/abi.md §3, with their signatures: the only imports a module may declare.</summary>
internal static class ImportCatalog
{
    private static readonly ValueKind[] None = [];
    private static readonly ValueKind[] I32x2 = [ValueKind.Int32, ValueKind.Int32];
    private static readonly ValueKind[] F64 = [ValueKind.Float64];

    public static IReadOnlyList<HostImport> All { get; } =
    [
        new("wafer", "result", I32x2, None),
        new("wafer", "log", [ValueKind.Int32, ValueKind.Int32, ValueKind.Int32], None),
        new("wafer", "abort", I32x2, None),
        new("wafer", "host_call", [ValueKind.Int32, ValueKind.Int32, ValueKind.Int32, ValueKind.Int32], [ValueKind.Int32]),
        new("wafer", "host_response", [ValueKind.Int32], None),
        new("env", "abort", [ValueKind.Int32, ValueKind.Int32, ValueKind.Int32, ValueKind.Int32], None),
        new("env", "trace",
            [ValueKind.Int32, ValueKind.Int32, ValueKind.Float64, ValueKind.Float64, ValueKind.Float64, ValueKind.Float64, ValueKind.Float64],
            None),
        new("env", "seed", None, F64),
        new("env", "Date.now", None, F64),
    ];

    public static HostImport? Find(string module, string name)
    {
        foreach (var import in All)
        {
            if (import.Module == module && import.Name == name)
            {
                return import;
            }
        }

        return null;
    }
}
