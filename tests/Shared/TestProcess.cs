using System.Diagnostics;
using System.Globalization;

namespace Wafer.Tests.Shared;

/// <summary>
/// A process a test starts (a <c>wafer</c> command, a tool): its stdout and stderr read line by line as they come and
/// kept (the last <see cref="KeptLines"/>) for assertions and failure messages, waits for a line with a deadline, and
/// the whole process tree killed when it is disposed. Test projects wrap it for their own kind of process (a fleet, a
/// lone runtime) and keep only what is theirs in the wrapper.
/// </summary>
public sealed class TestProcess : IDisposable
{
    public const int KeptLines = 5000;

    private readonly Process _process;
    private readonly Queue<string> _lines = new();
    private readonly Queue<string> _stdout = new();
    private readonly Queue<string> _stderr = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _nextLine = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _openStreams = 2;

    private TestProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        process.OutputDataReceived += (_, e) => Keep(e.Data, standardOutput: true);
        process.ErrorDataReceived += (_, e) => Keep(e.Data, standardOutput: false);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>What the test calls the process in messages (<c>orchestrator</c>, <c>rt-2</c>).</summary>
    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything kept from stdout and stderr, in the order the lines arrived, one per line.</summary>
    public string Output
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    /// <summary>Only what the process wrote to stdout.</summary>
    public string StandardOutput
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _stdout);
            }
        }
    }

    /// <summary>Only what the process wrote to stderr.</summary>
    public string StandardError
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _stderr);
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="fileName"/> with <paramref name="arguments"/>. <paramref name="environment"/> sets
    /// variables beside the test's own (a null value removes one); <c>NO_COLOR</c> is always set, so output is plain text.
    /// </summary>
    public static TestProcess Start(
        string name, string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["NO_COLOR"] = "1";
        foreach (var (variable, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(variable);
            }
            else
            {
                info.Environment[variable] = value;
            }
        }

        return new TestProcess(name, Process.Start(info) ?? throw new InvalidOperationException($"cannot start {name} ({fileName})"));
    }

    /// <summary>
    /// Starts a program and runs it to its end; returns its exit code and everything it printed. A program still running
    /// after <paramref name="within"/> is killed, and the failure names it with its output so far.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string fileName, IEnumerable<string> arguments, TimeSpan within, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var list = arguments.ToList();
        using var process = Start(Path.GetFileName(fileName), fileName, list, environment, workingDirectory);
        if (!await process.WaitForExitAsync(within))
        {
            throw new TimeoutException($"{fileName} {string.Join(' ', list)} did not finish within {within.TotalSeconds:0} s; it printed:\n{process.Tail()}");
        }

        return (process.ExitCode, process.Output);
    }

    /// <summary>
    /// Waits until a line <paramref name="matches"/> and returns it (a line kept before the call counts). Fails, naming
    /// <paramref name="what"/> and the last lines printed, when <paramref name="within"/> passes or the process ends first.
    /// </summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> matches, string what, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            Task next;
            lock (_lines)
            {
                if (_lines.FirstOrDefault(matches) is { } line)
                {
                    return line;
                }

                next = _nextLine.Task;
            }

            if (_drained.Task.IsCompleted)
            {
                _process.WaitForExit();
                throw new Xunit.Sdk.XunitException($"{Name} exited with {_process.ExitCode} before {what}; its last lines:\n{Tail()}");
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new Xunit.Sdk.XunitException($"{Name} did not print {what} within {within.TotalSeconds:0.#} s; its last lines:\n{Tail()}");
            }

            await Task.WhenAny(next, _drained.Task, Task.Delay(left));
        }
    }

    /// <summary>Waits until a line contains <paramref name="text"/> (see <see cref="WaitForLineAsync(Func{string, bool}, string, TimeSpan)"/>).</summary>
    public Task<string> WaitForLineAsync(string text, TimeSpan within) =>
        WaitForLineAsync(line => line.Contains(text, StringComparison.Ordinal), $"a line with '{text}'", within);

    /// <summary>True when the process exits within <paramref name="within"/>, with all its output read by then.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within); // alive until the wait ends, or the timeout never fires
        try
        {
            await _process.WaitForExitAsync(timeout.Token); // returns once the redirected streams are read to their end
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The last <paramref name="lines"/> lines kept.</summary>
    public string Tail(int lines = 40)
    {
        lock (_lines)
        {
            return string.Join('\n', _lines.TakeLast(lines));
        }
    }

    /// <summary>SIGKILL to the process and everything it started: no clean shutdown, no goodbye message.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // it exited meanwhile
            }

            _process.WaitForExit(10_000);
        }
    }

    /// <summary>SIGINT, as Ctrl-C in a terminal: the process should stop cleanly.</summary>
    public void Interrupt() => Signal("-INT");

    /// <summary>SIGTERM, as a service manager stops it.</summary>
    public void Terminate() => Signal("-TERM");

    /// <summary>SIGSTOP: the process hangs (its connections stay open, nothing answers) until <see cref="Resume"/>.</summary>
    public void Pause() => Signal("-STOP");

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Resume() => Signal("-CONT");

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", [signal, _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    private void Keep(string? line, bool standardOutput)
    {
        TaskCompletionSource arrived;
        lock (_lines)
        {
            if (line is null)
            {
                if (--_openStreams == 0)
                {
                    _drained.TrySetResult();
                }

                return;
            }

            Add(_lines, line);
            Add(standardOutput ? _stdout : _stderr, line);

            arrived = _nextLine;
            _nextLine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        arrived.TrySetResult();
    }

    private static void Add(Queue<string> lines, string line)
    {
        lines.Enqueue(line);
        if (lines.Count > KeptLines)
        {
            lines.Dequeue();
        }
    }
}
