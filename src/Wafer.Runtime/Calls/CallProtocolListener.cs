using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wafer.Protocol.Calls;
using Wafer.Runtime.Http;

namespace Wafer.Runtime.Calls;

/// <summary>
/// Lets a listener serve the call protocol (docs/call-protocol.md) beside whatever it serves already: a connection
/// that opens with the protocol's preamble is served here, any other goes on untouched (the HTTP/2 preface starts
/// with <c>PRI</c>, the preamble with <c>CALL</c>), so the h2c port needs no second port or announcement.
/// </summary>
internal static class CallProtocolListener
{
    /// <summary>
    /// How long a connection may stay silent before it is handed to HTTP/2 undecided, whose own timeouts then apply:
    /// an idle connection is not held here for ever.
    /// </summary>
    public static readonly TimeSpan DecideWithin = TimeSpan.FromSeconds(10);

    /// <param name="decideWithin">Instead of <see cref="DecideWithin"/>.</param>
    public static ListenOptions UseCallProtocol(this ListenOptions listener, TimeSpan? decideWithin = null)
    {
        ArgumentNullException.ThrowIfNull(listener);
        var services = listener.ApplicationServices;
        var silence = decideWithin ?? DecideWithin;
        return (ListenOptions)listener.Use(next => connection => ServeOrPassAsync(next, connection, services, silence));
    }

    private static async Task ServeOrPassAsync(ConnectionDelegate next, ConnectionContext connection, IServiceProvider services, TimeSpan decideWithin)
    {
        var input = connection.Transport.Input;
        using var silence = new CancellationTokenSource(decideWithin);
        while (true)
        {
            ReadResult read;
            try
            {
                read = await input.ReadAsync(silence.Token);
            }
            catch (OperationCanceledException) when (silence.IsCancellationRequested)
            {
                break;
            }

            var buffer = read.Buffer;
            var seen = (int)Math.Min(buffer.Length, CallFrames.Preamble.Length);
            if (!CallFrames.AgreesWithPreamble(buffer) || (read.IsCompleted && seen < CallFrames.Preamble.Length))
            {
                input.AdvanceTo(buffer.Start); // nothing consumed: the next handler reads it all
                break;
            }

            if (seen == CallFrames.Preamble.Length)
            {
                input.AdvanceTo(buffer.GetPosition(seen));
                var served = new CallProtocolConnection(
                    connection,
                    services.GetRequiredService<FunctionCalls>(),
                    services.GetRequiredService<CallPortGuard>(),
                    services.GetRequiredService<ILogger<CallProtocolConnection>>());
                await served.RunAsync();
                return;
            }

            input.AdvanceTo(buffer.Start, buffer.End); // a preamble's beginning: wait for the rest
        }

        await next(connection);
    }
}
