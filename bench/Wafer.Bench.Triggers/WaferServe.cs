using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Wafer.Bench.Triggers;

/// <summary><c>wafer serve</c> as a child process on free ports, with a plugins folder and storage of its own; killed on dispose.</summary>
internal sealed class WaferServe : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _root;

    private WaferServe(Process process, string root, int port, int orchestratorPort, int brokerPort)
    {
        _process = process;
        _root = root;
        Port = port;
        OrchestratorPort = orchestratorPort;
        BrokerPort = brokerPort;
    }

    public int Port { get; }

    public int OrchestratorPort { get; }

    public int BrokerPort { get; }

    public string Plugins => Path.Combine(_root, "plugins");

    public static WaferServe Start(string waferDll, Action<string> preparePlugins)
    {
        var root = Path.Combine(Path.GetTempPath(), "wafer-bench-triggers", Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(root, "plugins"));
        preparePlugins(Path.Combine(root, "plugins"));
        int port = FreePort(), orchestratorPort = FreePort(), brokerPort = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     waferDll, "serve", "--plugins", Path.Combine(root, "plugins"), "--storagePath", Path.Combine(root, "storage"),
                     "--port", port.ToString(), "--orchestratorPort", orchestratorPort.ToString(), "--brokerPort", brokerPort.ToString(),
                 })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 })
            {
                Console.Error.WriteLine("wafer: " + e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new WaferServe(process, root, port, orchestratorPort, brokerPort);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
