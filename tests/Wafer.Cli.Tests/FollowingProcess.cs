using System.Diagnostics;
using System.Text;

namespace Wafer.Cli.Tests;

/// <summary>A <c>wafer</c> process that keeps running (<c>logs --follow</c>): its output is collected until the test kills it.</summary>
internal sealed class FollowingProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private FollowingProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static FollowingProcess Start(params string[] arguments) => Start(null, arguments);

    /// <param name="environment">Variables to set besides the inherited ones.</param>
    public static FollowingProcess Start(IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "wafer.dll"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["NO_COLOR"] = "1";
        info.Environment.Remove("WAFER_SERVER");
        info.Environment.Remove("WAFER_TOKEN");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return new FollowingProcess(Process.Start(info)!);
    }

    /// <summary>Waits until the output holds <paramref name="text"/>; fails with the output so far after <paramref name="timeout"/>.</summary>
    public async Task WaitForAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no '{text}' within {timeout.TotalSeconds} s; the process printed:\n{Output}");
            Assert.False(_process.HasExited, $"the process exited with {(_process.HasExited ? _process.ExitCode : 0)}:\n{Output}");
            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
