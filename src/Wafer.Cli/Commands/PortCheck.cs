using System.Net;
using System.Net.Sockets;
using Spectre.Console;

namespace Wafer.Cli.Commands;

/// <summary>
/// Checks, before a command spends time building, that the ports it will listen on are free: a port another process
/// holds is reported at once, in the words a failed start uses (<see cref="ServerStart.StartAsync"/>). The port is
/// only tried and let go; the server's own start still reports a port taken in between.
/// </summary>
internal static class PortCheck
{
    /// <summary>
    /// Tries each address; for the first that is taken, prints the one-line error naming it and its flag and returns
    /// the failure exit code; null when all are free (port 0, and host names that do not resolve, are not tried).
    /// </summary>
    /// <param name="what">Who would listen: "wafer dev", "the runtime".</param>
    public static int? RefuseTaken(string what, params (string Host, int Port, string Listening)[] addresses)
    {
        foreach (var (host, port, listening) in addresses)
        {
            if (port != 0 && Taken(host, port) is { } reason)
            {
                AnsiConsole.MarkupLineInterpolated(
                    $"[red]error:[/] {what} cannot listen on {listening}: {reason} (another process may use the port; choose another, or 0 for a free one)");
                return ExitCodes.Failed;
            }
        }

        return null;
    }

    /// <summary>Why <paramref name="host"/>:<paramref name="port"/> cannot be listened on now, or null.</summary>
    private static string? Taken(string host, int port)
    {
        if (Address(host) is not { } address)
        {
            return null;
        }

        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(address, port));
            socket.Listen(1);
            return null;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            return ex.Message;
        }
        catch (SocketException)
        {
            return null; // an address this machine lacks, say: the server's own start says why
        }
    }

    private static IPAddress? Address(string host)
    {
        if (host is "localhost")
        {
            return IPAddress.Loopback;
        }

        if (host is "*" or "+")
        {
            return IPAddress.Any;
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var address) ? address : null;
    }
}
