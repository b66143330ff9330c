using System.Collections.Concurrent;
using System.Diagnostics;

namespace Wafer.Fleet.Tests.Support;

/// <summary>One <c>dotnet wafer.dll …</c> process (orchestrator or runtime) with its output kept for the test log.</summary>
public sealed class WaferProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private WaferProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output => string.Join('\n', _output);

    public static WaferProcess Start(string name, params string[] arguments) => Start(name, null, arguments);

    /// <param name="environment">Variables set for the process beside the test's own.</param>
    public static WaferProcess Start(string name, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        // Through env(1) with SIGINT and SIGQUIT reset to their defaults: a test runner started where they are ignored
        // (a background job of a non-interactive shell, nohup) would pass that on, and the process would never see Ctrl-C.
        var info = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("--default-signal=INT,QUIT");
        info.ArgumentList.Add("dotnet");
        info.ArgumentList.Add(Repository.WaferDll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["NO_COLOR"] = "1";
        info.Environment["DOTNET_gcServer"] = "0";
        foreach (var (variable, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[variable] = value;
        }

        return new WaferProcess(name, Process.Start(info) ?? throw new InvalidOperationException($"cannot start {name}"));
    }

    /// <summary>Runs <c>wafer ARGS</c> to completion and returns its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(TimeSpan within, params string[] arguments)
    {
        using var process = Start("wafer " + arguments[0], arguments);
        if (!await process.WaitForExitAsync(within))
        {
            return (-1, $"wafer {string.Join(' ', arguments)} did not finish within {within.TotalSeconds:0}s\n{process.Output}");
        }

        process._process.WaitForExit(); // drains the redirected output
        return (process.ExitCode, process.Output);
    }

    /// <summary>SIGKILL: no clean shutdown, no goodbye message; only the broker's last will tells anyone.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    /// <summary>SIGINT, as Ctrl-C in a terminal: the process should stop cleanly.</summary>
    public void Interrupt() => Signal("-INT");

    /// <summary>SIGSTOP: the process hangs (its connections stay open, nothing answers) until <see cref="Resume"/>.</summary>
    public void Pause() => Signal("-STOP");

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Resume() => Signal("-CONT");

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", [signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>True when the process exits within <paramref name="within"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within); // alive until the wait ends, or the timeout never fires
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public string Tail(int lines = 40) => string.Join('\n', _output.TakeLast(lines));

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
            while (_output.Count > 2000 && _output.TryDequeue(out _))
            {
            }
        }
    }
}
