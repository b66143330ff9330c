using System.Net;
using Microsoft.Extensions.Logging;

namespace Wafer.Hosting;

/// <summary>
/// The rule every Wafer HTTP server (serve, dev, runtime, orchestrator, gateway) starts by: on loopback it needs no
/// set-up; beyond loopback anyone who reaches the port could deploy, stop and run code, so it needs a token, or an
/// explicit <c>--insecure</c> that is logged as a warning at every start.
/// </summary>
public static partial class Exposure
{
    /// <summary>True when <paramref name="host"/> (a bind address or name) reaches this machine only.</summary>
    public static bool IsLoopback(string host)
    {
        var bare = host.Trim().TrimStart('[').TrimEnd(']');
        return bare.Equals("localhost", StringComparison.OrdinalIgnoreCase)
               || (IPAddress.TryParse(bare, out var address) && IPAddress.IsLoopback(address));
    }

    /// <summary>
    /// Why <paramref name="what"/> may not listen on <paramref name="host"/> (set with <paramref name="hostFlag"/>)
    /// with no token; null when it may: on loopback, with a token, or with <paramref name="insecure"/>.
    /// </summary>
    public static string? Refusal(string what, string host, string hostFlag, string? token, bool insecure) =>
        IsLoopback(host) || !string.IsNullOrEmpty(token) || insecure
            ? null
            : $"{what} would listen on {host} ({hostFlag}), beyond loopback, with no token: anyone who reaches the port could deploy, stop " +
              "and run code. Set a token (--token or WAFER_TOKEN), bind 127.0.0.1, or pass --insecure to accept the risk";

    /// <summary>True when the server runs beyond loopback without a token because <c>--insecure</c> said so.</summary>
    public static bool IsInsecure(string host, string? token, bool insecure) => insecure && string.IsNullOrEmpty(token) && !IsLoopback(host);

    /// <summary>The warning logged at every start of a server running beyond loopback without a token.</summary>
    [LoggerMessage(EventId = 4040, EventName = "ServingInsecurely", Level = LogLevel.Warning,
        Message = "{Server} listens on {Url}, beyond loopback, with no token (--insecure): anyone who reaches it can deploy, stop and run code")]
    public static partial void ServingInsecurely(ILogger logger, string server, string url);
}
