using Wafer.Tests.Shared;

namespace Wafer.Fleet.Tests.Support;

/// <summary>Starts <c>dotnet wafer.dll …</c> (orchestrator, runtime, gateway, a client verb) as a <see cref="TestProcess"/>.</summary>
public static class WaferProcess
{
    public static TestProcess Start(string name, params string[] arguments) => Start(name, null, arguments);

    /// <param name="environment">Variables set for the process beside the test's own.</param>
    public static TestProcess Start(string name, IReadOnlyDictionary<string, string>? environment, params string[] arguments) =>
        // Through env(1) with SIGINT and SIGQUIT reset to their defaults: a test runner started where they are ignored
        // (a background job of a non-interactive shell, nohup) would pass that on, and the process would never see Ctrl-C.
        TestProcess.Start(name, "env", ["--default-signal=INT,QUIT", "dotnet", Repository.WaferDll, .. arguments], Variables(environment));

    /// <summary>Runs <c>wafer ARGS</c> to completion and returns its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(TimeSpan within, params string[] arguments)
    {
        using var process = Start("wafer " + arguments[0], arguments);
        return await process.WaitForExitAsync(within)
            ? (process.ExitCode, process.Output)
            : (-1, $"wafer {string.Join(' ', arguments)} did not finish within {within.TotalSeconds:0}s\n{process.Output}");
    }

    private static Dictionary<string, string?> Variables(IReadOnlyDictionary<string, string>? environment)
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal) { ["DOTNET_gcServer"] = "0" };
        foreach (var (variable, value) in environment ?? new Dictionary<string, string>())
        {
            variables[variable] = value;
        }

        return variables;
    }
}
