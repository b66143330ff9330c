using Wafer.Tests.Shared;

namespace Wafer.Cli.Tests;

/// <summary>
/// Starts the built <c>wafer</c> (<c>dotnet wafer.dll ARGS</c>) as a <see cref="TestProcess"/>: a server or a
/// <c>--follow</c> that keeps running until the test disposes it. It runs in the temporary folder unless told otherwise,
/// without the test run's <c>WAFER_SERVER</c> and <c>WAFER_TOKEN</c>.
/// </summary>
internal static class WaferProcess
{
    public static TestProcess Start(params string[] arguments) => Start(null, arguments);

    /// <param name="environment">Variables to set besides the inherited ones.</param>
    public static TestProcess Start(IReadOnlyDictionary<string, string>? environment, params string[] arguments) =>
        StartIn(Path.GetTempPath(), environment, arguments);

    /// <param name="environment">Variables to set besides the inherited ones.</param>
    public static TestProcess StartIn(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal) { ["WAFER_SERVER"] = null, ["WAFER_TOKEN"] = null };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            variables[key] = value;
        }

        return TestProcess.Start("wafer " + arguments.FirstOrDefault(), "dotnet", [Path.Combine(AppContext.BaseDirectory, "wafer.dll"), .. arguments], variables, workingDirectory);
    }
}
