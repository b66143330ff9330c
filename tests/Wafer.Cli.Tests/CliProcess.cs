using System.Diagnostics;

namespace Wafer.Cli.Tests;

/// <summary>Runs the built <c>wafer</c> CLI as a real process and captures what it prints.</summary>
internal static class CliProcess
{
    public static string RepositoryRoot { get; } = FindRoot();

    private static string WaferDll => Path.Combine(AppContext.BaseDirectory, "wafer.dll");

    public static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        var (code, stdout, stderr) = await RunSeparatelyAsync(null, workingDirectory, timeout, arguments);
        return (code, stdout + stderr);
    }

    /// <summary>Runs <c>wafer ARGS</c> with stdout and stderr apart (<c>--json</c> prints its one document on stdout).</summary>
    /// <param name="environment">Variables to set; WAFER_SERVER and WAFER_TOKEN are not inherited unless given here.</param>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunSeparatelyAsync(
        IReadOnlyDictionary<string, string>? environment, string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(WaferDll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["WAFER_SDK_PATH"] = Path.Combine(RepositoryRoot, "sdk", "assemblyscript");
        info.Environment["NO_COLOR"] = "1";
        info.Environment.Remove("WAFER_SERVER");
        info.Environment.Remove("WAFER_TOKEN");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"wafer {string.Join(' ', arguments)} did not finish within {timeout}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Wafer.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root");
    }
}
