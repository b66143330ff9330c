using System.Diagnostics;
using System.Text;

namespace Wafer.Cli.Tests;

/// <summary>Runs a program other than the built <c>wafer.dll</c> (dotnet, an installed <c>wafer</c>) and captures what it prints.</summary>
internal static class ExternalProcess
{
    /// <summary>A start with the test run's Wafer variables removed, so the program finds only what a user's shell would give it.</summary>
    public static ProcessStartInfo StartInfo(string fileName, string workingDirectory, params string[] arguments)
    {
        var info = new ProcessStartInfo(fileName) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var variable in (string[])["WAFER_SDK_PATH", "WAFER_SERVER", "WAFER_TOKEN"])
        {
            info.Environment.Remove(variable);
        }

        info.Environment["NO_COLOR"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        return info;
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(ProcessStartInfo info, TimeSpan timeout)
    {
        using var process = Process.Start(info)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{info.FileName} {string.Join(' ', info.ArgumentList)} did not finish within {timeout}:\n{output}");
        }

        process.WaitForExit(); // the output events have all been raised
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }

    public static Task<(int ExitCode, string Output)> RunAsync(string fileName, string workingDirectory, TimeSpan timeout, params string[] arguments) =>
        RunAsync(StartInfo(fileName, workingDirectory, arguments), timeout);
}
