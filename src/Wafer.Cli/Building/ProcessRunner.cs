using System.Diagnostics;

namespace Wafer.Cli.Building;

/// <summary>Runs a tool with inherited output (or its stdout copied to stderr) and returns its exit code; -1 if it could not start.</summary>
public static class ProcessRunner
{
    public static async Task<int> RunAsync(
        string fileName, IEnumerable<string> arguments, string workingDirectory, CancellationToken cancellationToken, bool stdoutToStderr = false)
    {
        var info = new ProcessStartInfo(fileName) { WorkingDirectory = workingDirectory, UseShellExecute = false, RedirectStandardOutput = stdoutToStderr };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process? process;
        try
        {
            process = Process.Start(info);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }

        if (process is null)
        {
            return -1;
        }

        using (process)
        {
            var copy = stdoutToStderr ? process.StandardOutput.BaseStream.CopyToAsync(Console.OpenStandardError(), cancellationToken) : Task.CompletedTask;
            try
            {
                await process.WaitForExitAsync(cancellationToken);
                await copy;
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            return process.ExitCode;
        }
    }
}
