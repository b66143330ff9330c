namespace Wafer.Wasm;

/// <summary>
/// Bounds on what one module may hold, checked on its bytes before anything is compiled: a module past one is refused
/// with the limit and the flag that raises it. The defaults leave room for large real applications (tens of thousands
/// of functions); they keep one upload from costing the runtime gigabytes while it compiles and serves it.
/// </summary>
public sealed record ModuleLimits
{
    public const long DefaultMaxBytes = 64L * 1024 * 1024;
    public const int DefaultMaxFunctions = 50_000;
    public const int DefaultMaxImports = 1_000;
    public const int DefaultMaxExports = 10_000;
    public const int DefaultMaxMetadataBytes = 4 * 1024 * 1024;

    public static readonly ModuleLimits Default = new();

    /// <summary>Size of the module file (<c>--maxModuleBytes</c>).</summary>
    public long MaxBytes { get; init; } = DefaultMaxBytes;

    /// <summary>Functions the module defines (<c>--maxModuleFunctions</c>): what compiling costs grows with them.</summary>
    public int MaxFunctions { get; init; } = DefaultMaxFunctions;

    /// <summary>Imports (<c>--maxModuleImports</c>).</summary>
    public int MaxImports { get; init; } = DefaultMaxImports;

    /// <summary>Exports (<c>--maxModuleExports</c>).</summary>
    public int MaxExports { get; init; } = DefaultMaxExports;

    /// <summary>Size of the metadata custom section, <c>wafer.meta</c> (<c>--maxMetadataBytes</c>).</summary>
    public int MaxMetadataBytes { get; init; } = DefaultMaxMetadataBytes;

    /// <summary>What is wrong with these limits, each naming its flag; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxBytes < 1024)
        {
            errors.Add($"MaxModuleBytes (--maxModuleBytes) must be at least 1024, got {MaxBytes}");
        }

        Positive(errors, MaxFunctions, "MaxModuleFunctions (--maxModuleFunctions)");
        Positive(errors, MaxImports, "MaxModuleImports (--maxModuleImports)");
        Positive(errors, MaxExports, "MaxModuleExports (--maxModuleExports)");
        if (MaxMetadataBytes < 1024)
        {
            errors.Add($"MaxMetadataBytes (--maxMetadataBytes) must be at least 1024, got {MaxMetadataBytes}");
        }

        return errors;
    }

    private static void Positive(List<string> errors, int value, string name)
    {
        if (value < 1)
        {
            errors.Add($"{name} must be at least 1, got {value}");
        }
    }
}
