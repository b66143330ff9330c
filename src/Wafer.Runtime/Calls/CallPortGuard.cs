using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wafer.Protocol.Calls;
using Wafer.Protocol.Security;
using Wafer.Runtime.Hosting;

namespace Wafer.Runtime.Calls;

/// <summary>
/// Who may send calls to this runtime's call port: with a token (<c>--token</c>), only a peer that answers the
/// connection's challenge with the fleet's call-port key (<see cref="CallHandshake"/>); without one, anyone who can
/// reach the port, as for the HTTP function routes. Refusals are logged at most once per <see cref="LogEvery"/>, with
/// how many more there were, so a peer that keeps trying cannot flood the log.
/// </summary>
internal sealed partial class CallPortGuard
{
    public static readonly TimeSpan LogEvery = TimeSpan.FromSeconds(10);

    private readonly ILogger _logger;
    private readonly Lock _logLock = new();
    private long _lastLogged = long.MinValue;
    private int _unlogged;

    public CallPortGuard(IOptions<RuntimeOptions> options, ILogger<CallPortGuard> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        Key = options.Value.ApiToken is { Length: > 0 } token ? FleetKeys.CallPort(token) : null;
        MaxCallsPerConnection = options.Value.MaxCallsPerConnection;
        _logger = logger;
    }

    /// <summary>The key proofs are checked with; null when the runtime has no token and takes calls from anyone.</summary>
    public byte[]? Key { get; }

    /// <summary>Calls read from one connection and not yet answered; further ones wait unread.</summary>
    public int MaxCallsPerConnection { get; }

    /// <summary>Null when <paramref name="proof"/> may send calls, else why not.</summary>
    public string? Check(ReadOnlySpan<byte> challenge, ReadOnlySpan<byte> proof) =>
        Key is null || CallHandshake.Verify(Key, challenge, proof) ? null
        : proof.IsEmpty ? "no credential (the gateway has no --token; this runtime needs the fleet's)"
        : "a wrong credential (the gateway's --token is not this runtime's)";

    /// <summary>Logs a refused connection, unless one was logged within <see cref="LogEvery"/>; those are counted in the next line.</summary>
    public void Refused(string connection, string? remote, string reason)
    {
        int others;
        lock (_logLock)
        {
            var now = Stopwatch.GetTimestamp();
            if (_lastLogged != long.MinValue && Stopwatch.GetElapsedTime(_lastLogged, now) < LogEvery)
            {
                _unlogged++;
                return;
            }

            _lastLogged = now;
            others = _unlogged;
            _unlogged = 0;
        }

        RefusedPeer(_logger, connection, remote ?? "unknown", reason, others);
    }

    [LoggerMessage(EventId = 2752, EventName = "CallPortRefused", Level = LogLevel.Warning,
        Message = "Call connection {Connection} from {Remote} was refused and closed, nothing run: {Reason} ({Others} more refused since the last such line)")]
    private static partial void RefusedPeer(ILogger logger, string connection, string remote, string reason, int others);
}
