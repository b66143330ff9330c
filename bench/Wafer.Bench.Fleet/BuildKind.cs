using System.Reflection.PortableExecutable;

namespace Wafer.Bench.Fleet;

/// <summary>
/// Whether the build the orchestrator starts from is precompiled (ReadyToRun, as <c>./wafer</c> publishes it) or
/// compiled by the JIT as it runs (a plain <c>dotnet publish</c>): the JIT is a sizeable share of a fresh
/// orchestrator's CPU in a burst, so figures from the two kinds of build do not compare.
/// </summary>
internal static class BuildKind
{
    /// <summary>A wafer.dll runs on the installed .NET; anything else is a self-contained executable (scripts/publish.sh).</summary>
    public static bool IsSelfContained(string wafer) => !wafer.EndsWith(".dll", StringComparison.Ordinal);

    public static string Describe(string waferDll)
    {
        if (IsSelfContained(waferDll))
        {
            return "a self-contained executable (scripts/publish.sh: ReadyToRun, composite with the framework)";
        }

        var folder = Path.GetDirectoryName(waferDll) ?? ".";
        var assemblies = Directory.GetFiles(folder, "Wafer.*.dll").Append(waferDll).ToList();
        var precompiled = assemblies.Count(IsReadyToRun);
        return precompiled == assemblies.Count ? "ReadyToRun"
            : precompiled == 0 ? "not ReadyToRun (JIT-compiled as it runs; ./wafer publishes ReadyToRun)"
            : $"{precompiled} of {assemblies.Count} Wafer assemblies ReadyToRun";
    }

    private static bool IsReadyToRun(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new PEReader(stream);
        // a ReadyToRun image carries a native header the CLR reads its precompiled code from
        return reader.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
    }
}
