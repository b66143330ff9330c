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
    private TestProcess? _process;

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
        _process?.Dispose(); // stopped already; the test asks it to start again
        _process = TestProcess.Start("mosquitto", File.Exists("/usr/sbin/mosquitto") ? "/usr/sbin/mosquitto" : "mosquitto", ["-c", Path.Combine(_folder, "mosquitto.conf")]);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!Listening())
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"mosquitto did not start listening on {Port}: {_process.Output}\n{Log}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>SIGTERM, as a service manager stops it: a graceful stop that publishes every client's last will.</summary>
    public async Task StopGracefullyAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Terminate();
            if (!await process.WaitForExitAsync(TimeSpan.FromSeconds(15)))
            {
                throw new InvalidOperationException("mosquitto did not stop on SIGTERM");
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _process?.Dispose();
        return ValueTask.CompletedTask;
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

    private static async Task RunAsync(string file, params string[] arguments)
    {
        var (code, output) = await TestProcess.RunAsync(file, arguments, TimeSpan.FromSeconds(30));
        if (code != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({code}): {output}");
        }
    }
}
