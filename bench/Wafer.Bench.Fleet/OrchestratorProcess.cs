using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Wafer.Bench.Fleet;

/// <summary>
/// A real <c>wafer orchestrator</c> process (its in-process broker included) on free loopback ports, so its CPU and
/// memory are measured apart from the simulated runtimes (<c>/proc/PID/stat</c>, <c>/proc/PID/status</c>).
/// </summary>
internal sealed class OrchestratorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private OrchestratorProcess(Process process, StreamWriter log, int port, int brokerPort, string folder)
    {
        _process = process;
        _log = log;
        Port = port;
        BrokerPort = brokerPort;
        Folder = folder;
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; }

    public int BrokerPort { get; }

    public string Folder { get; }

    public string LogPath => Path.Combine(Folder, "orchestrator.log");

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public static OrchestratorProcess Start(string waferDll)
    {
        var folder = Path.Combine(Path.GetTempPath(), "wafer-bench-fleet", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        var (port, brokerPort) = (FreePort(), FreePort());
        var isDll = !BuildKind.IsSelfContained(waferDll);
        var info = new ProcessStartInfo(isDll ? "dotnet" : waferDll) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (isDll ? new[] { waferDll } : []).Concat(["orchestrator", "--port", $"{port}", "--brokerPort", $"{brokerPort}", "--storagePath", folder]))
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["NO_COLOR"] = "1";
        var log = new StreamWriter(Path.Combine(folder, "orchestrator.log")) { AutoFlush = true };
        return new OrchestratorProcess(Process.Start(info) ?? throw new InvalidOperationException("cannot start the orchestrator"), log, port, brokerPort, folder);
    }

    /// <summary>CPU time (user + system) the process has used so far.</summary>
    public TimeSpan CpuTime()
    {
        // fields after the parenthesised command name: state is field 3, utime 14, stime 15 (man 5 proc)
        var stat = File.ReadAllText($"/proc/{Pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux
    }

    /// <summary>Resident memory in MiB.</summary>
    public double RssMb()
    {
        var line = File.ReadLines($"/proc/{Pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-INT", Pid.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private void Write(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                try
                {
                    _log.WriteLine(line);
                }
                catch (ObjectDisposedException)
                {
                }
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
