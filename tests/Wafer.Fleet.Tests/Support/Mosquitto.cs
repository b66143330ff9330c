using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Wafer.Tests.Shared;

namespace Wafer.Fleet.Tests.Support;

/// <summary>
/// A Mosquitto of a test's own, on a free loopback port (the shared one is never stopped): anonymous clients refused,
/// a password file of the given users, the ACL file of <c>docs/examples/mosquitto.acl</c> (or none), and persistence
/// as the shared one has. It can be stopped with SIGTERM (a graceful stop, which publishes every client's last will)
/// and started again on the same port.
/// </summary>
public sealed class Mosquitto : IAsyncDisposable
{
    private readonly string _folder;
    private Process? _process;

    private Mosquitto(string folder, int port)
    {
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The broker without credentials: members with the fleet token derive theirs.</summary>
    public string Url => $"mqtt://127.0.0.1:{Port}";

    public string Log => File.Exists(Path.Combine(_folder, "mosquitto.log")) ? File.ReadAllText(Path.Combine(_folder, "mosquitto.log")) : "";

    /// <param name="users">User name and password of every client allowed to connect.</param>
    /// <param name="acl">True for the documented ACL; false lets every user reach every topic.</param>
    public static async Task<Mosquitto> StartAsync(IReadOnlyDictionary<string, string> users, bool acl = true)
    {
        var folder = Path.Combine(Path.GetTempPath(), "wafer-fleet-tests", "mosquitto-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var broker = new Mosquitto(folder, LoopbackPorts.Free());
        var passwords = Path.Combine(folder, "passwords");
        await File.WriteAllLinesAsync(passwords, users.Select(u => $"{u.Key}:{u.Value}"));
        await RunAsync("mosquitto_passwd", "-U", passwords); // hashes the plain-text file in place
        var config = new List<string>
        {
            $"listener {broker.Port} 127.0.0.1",
            "allow_anonymous false",
            $"password_file {passwords}",
            "persistence true",
            $"persistence_location {folder}/",
            $"log_dest file {folder}/mosquitto.log",
            "log_type all",
            "max_packet_size 2097152",
        };
        if (acl)
        {
            File.Copy(Path.Combine(Repository.Root, "docs", "examples", "mosquitto.acl"), Path.Combine(folder, "acl"));
            config.Add($"acl_file {folder}/acl");
        }

        await File.WriteAllLinesAsync(Path.Combine(folder, "mosquitto.conf"), config);
        if (Environment.UserName == "root")
        {
            await RunAsync("chown", "-R", "mosquitto", folder); // mosquitto started as root runs as its own user
        }

        await broker.StartAgainAsync();
        return broker;
    }

    /// <summary>Starts the broker (again) on its port, with what it persisted.</summary>
    public async Task StartAgainAsync()
    {
        var info = new ProcessStartInfo(File.Exists("/usr/sbin/mosquitto") ? "/usr/sbin/mosquitto" : "mosquitto")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Path.Combine(_folder, "mosquitto.conf"));
        _process = Process.Start(info) ?? throw new InvalidOperationException("cannot start mosquitto");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!Listening())
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"mosquitto did not start listening on {Port}: {await _process.StandardError.ReadToEndAsync()}\n{Log}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>SIGTERM, as a service manager stops it: a graceful stop that publishes every client's last will.</summary>
    public async Task StopGracefullyAsync()
    {
        if (_process is { HasExited: false } process)
        {
            await RunAsync("kill", "-TERM", process.Id.ToString(CultureInfo.InvariantCulture));
            if (!await WaitForExitAsync(process, TimeSpan.FromSeconds(15)))
            {
                throw new InvalidOperationException("mosquitto did not stop on SIGTERM");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await WaitForExitAsync(process, TimeSpan.FromSeconds(10));
        }

        _process?.Dispose();
    }

    private bool Listening()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task<bool> WaitForExitAsync(Process process, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task RunAsync(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {output}");
        }
    }
}
