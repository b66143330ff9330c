using Wafer.Tests.Shared;

namespace Wafer.Cli.Tests;

/// <summary>
/// Runs a program other than the built <c>wafer.dll</c> (dotnet, an installed <c>wafer</c>, a shell) as a
/// <see cref="TestProcess"/>, with the test run's Wafer variables removed, so the program finds only what a user's shell
/// would give it.
/// </summary>
internal static class ExternalProcess
{
    public static TestProcess Start(string fileName, string workingDirectory, params string[] arguments) =>
        TestProcess.Start(Path.GetFileName(fileName), fileName, arguments, Variables(null), workingDirectory);

    public static Task<(int ExitCode, string Output)> RunAsync(string fileName, string workingDirectory, TimeSpan timeout, params string[] arguments) =>
        RunAsync(fileName, workingDirectory, timeout, null, arguments);

    /// <param name="environment">Variables to set besides the inherited ones.</param>
    public static Task<(int ExitCode, string Output)> RunAsync(
        string fileName, string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, params string[] arguments) =>
        TestProcess.RunAsync(fileName, arguments, timeout, Variables(environment), workingDirectory);

    private static Dictionary<string, string?> Variables(IReadOnlyDictionary<string, string>? environment)
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["WAFER_SDK_PATH"] = null,
            ["WAFER_SERVER"] = null,
            ["WAFER_TOKEN"] = null,
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            variables[key] = value;
        }

        return variables;
    }
}
