using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Wafer.Protocol.Calls;

namespace Wafer.Gateway.Forwarding;

/// <summary>
/// One connection to a runtime's h2c port speaking the call protocol (docs/call-protocol.md): each call is one frame
/// out and one back, many in flight at once. Under load one socket write carries several calls and one read several
/// answers, as with HTTP/2, but neither side parses HTTP or builds a request object for it. Once the runtime says it
/// is going away, or the connection breaks, the channel takes no new call (<see cref="IsOpen"/>) and
/// <see cref="RuntimeClient"/> opens another.
/// </summary>
internal sealed class CallChannel
{
    private readonly ConnectionContext _connection;
    private readonly PipeWriter _output;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Dictionary<uint, PendingCall> _pending = [];
    private uint _lastId;
    private bool _open = true; // under _pending's lock, as is everything about the calls in flight
    private bool _closing;

    /// <summary>Whether the runtime reads the frames' extension block, so calls carry their trace context (<see cref="CallTraceContext"/>).</summary>
    private readonly bool _carriesTrace;

    private CallChannel(ConnectionContext connection, bool carriesTrace)
    {
        _connection = connection;
        _output = connection.Transport.Output;
        _carriesTrace = carriesTrace;
    }

    /// <summary>False once the channel takes no new call.</summary>
    public bool IsOpen
    {
        get
        {
            lock (_pending)
            {
                return _open;
            }
        }
    }

    /// <summary>Connects, exchanges preambles and proves the gateway holds the fleet's credential (<see cref="CallHandshake"/>).</summary>
    /// <param name="key">The call-port key (<see cref="Protocol.Security.FleetKeys.CallPort"/>); null without a token.</param>
    /// <exception cref="CallProtocolUnsupportedException">
    /// The port answered, but not with the call protocol, or refused the credential; no call was sent.
    /// </exception>
    public static async Task<CallChannel> OpenAsync(string host, int port, SocketConnectionContextFactory sockets, byte[]? key, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        ConnectionContext connection;
        try
        {
            CallSockets.Configure(socket);
            await socket.ConnectAsync(host, port, cancellationToken);
            connection = sockets.Create(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        bool carriesTrace;
        try
        {
            carriesTrace = await HandshakeAsync(connection.Transport, key, cancellationToken);
        }
        catch (Exception e)
        {
            await connection.DisposeAsync();
            throw new CallProtocolUnsupportedException($"{host}:{port} does not speak the call protocol: {e.Message}"); // no call was sent
        }

        var channel = new CallChannel(connection, carriesTrace);
        _ = channel.ReadAnswersAsync();
        return channel;
    }

    /// <summary>Runs the handshake; returns whether the runtime's verdict offered the trace-context extension.</summary>
    private static async Task<bool> HandshakeAsync(IDuplexPipe transport, byte[]? key, CancellationToken cancellationToken)
    {
        transport.Output.Write(CallFrames.Preamble);
        await transport.Output.FlushAsync(cancellationToken);
        var read = await transport.Input.ReadAtLeastAsync(CallFrames.Preamble.Length, cancellationToken);
        if (read.Buffer.Length < CallFrames.Preamble.Length || !CallFrames.AgreesWithPreamble(read.Buffer))
        {
            throw new InvalidDataException($"it answered {read.Buffer.Length} bytes that are not the preamble");
        }

        transport.Input.AdvanceTo(read.Buffer.GetPosition(CallFrames.Preamble.Length));
        var challenge = await CallHandshake.ReadAsync(transport.Input, cancellationToken);
        CallHandshake.Write(transport.Output, CallHandshake.Prove(key, challenge));
        await transport.Output.FlushAsync(cancellationToken);
        var (verdict, reason) = CallHandshake.ReadVerdict(await CallHandshake.ReadAsync(transport.Input, cancellationToken));
        if (verdict != CallHandshake.Accepted)
        {
            throw new InvalidDataException(reason.Length > 0 ? reason : $"the runtime answered the credential with {verdict}");
        }

        return CallTraceContext.Offered(reason);
    }

    /// <summary>
    /// Sends one call and waits for its answer. A channel that no longer takes calls throws
    /// <see cref="CallChannelClosedException"/> before anything is sent; a failure after that is an
    /// <see cref="IOException"/>, and the call may have run.
    /// </summary>
    public async ValueTask<CallAnswer> CallAsync(string plugin, string function, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        uint id;
        PendingCall answer;
        lock (_pending)
        {
            if (!_open)
            {
                throw new CallChannelClosedException();
            }

            id = ++_lastId == CallFrames.GoAwayId ? ++_lastId : _lastId;
            answer = new PendingCall(this, id); // completed by the read loop, whose thread then goes on with the caller's request
            _pending.Add(id, answer);
        }

        await _writeLock.WaitAsync(CancellationToken.None);
        try
        {
            CallFrames.WriteCall(_output, id, plugin, function, body.Span, _carriesTrace, GatewayTracing.CurrentContext());
            await _output.FlushAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
        {
            Forget(id);
            throw new CallChannelClosedException(); // the connection ended before the call was written: nothing was sent
        }
        finally
        {
            _writeLock.Release();
        }

        if (!cancellationToken.CanBeCanceled)
        {
            return await answer.Task;
        }

        await using var cancel = cancellationToken.UnsafeRegister(static (state, token) =>
        {
            var call = (PendingCall)state!;
            call.Channel.Forget(call.Id)?.TrySetCanceled(token);
        }, answer);
        return await answer.Task;
    }

    /// <summary>Closes the connection; calls in flight on it fail.</summary>
    public void Abort() => _connection.Abort(new ConnectionAbortedException("the gateway is stopping"));

    private PendingCall? Forget(uint id)
    {
        lock (_pending)
        {
            _pending.Remove(id, out var call);
            CloseIfDone();
            return call;
        }
    }

    private async Task ReadAnswersAsync()
    {
        var input = _connection.Transport.Input;
        Exception? failure = null;
        try
        {
            await CallFrames.ReadEachAsync(input, CallFrames.MaxFrameBytes, Answer);
        }
        catch (Exception e)
        {
            failure = e;
        }

        List<PendingCall> orphans;
        lock (_pending)
        {
            _open = false;
            orphans = [.. _pending.Values];
            _pending.Clear();
        }

        var lost = failure is null
            ? new IOException("the runtime closed the call connection before answering")
            : new IOException($"the call connection broke before answering: {failure.Message}", failure);
        foreach (var orphan in orphans)
        {
            orphan.TrySetException(lost);
        }

        await input.CompleteAsync();
        await _output.CompleteAsync();
        await _connection.DisposeAsync();
    }

    private void Answer(uint id, ReadOnlySequence<byte> payload)
    {
        if (id == CallFrames.GoAwayId)
        {
            lock (_pending)
            {
                _open = false;
                CloseIfDone();
            }

            return;
        }

        // Read before the call leaves the table: a broken answer breaks the connection, failing this call with the rest.
        var (status, cause, callId, contentType, body) = CallFrames.ReadAnswer(payload);
        PendingCall? call;
        lock (_pending)
        {
            _pending.Remove(id, out call);
            CloseIfDone();
        }

        call?.TrySetResult(new CallAnswer(status, cause, callId, contentType, body.ToArray()));
    }

    // Under _pending's lock: after the runtime's goodbye, close our side once nothing is owed, so the runtime's ends too.
    private void CloseIfDone()
    {
        if (!_open && _pending.Count == 0 && !_closing)
        {
            _closing = true;
            _ = Task.Run(async () =>
            {
                await _writeLock.WaitAsync();
                await _output.CompleteAsync();
                _writeLock.Release(); // a write after this finds the output completed: nothing sent, a fresh channel
            });
        }
    }
}

/// <summary>A call sent and not yet answered: its id and channel go with it, so cancelling it allocates nothing more.</summary>
internal sealed class PendingCall(CallChannel channel, uint id) : TaskCompletionSource<CallAnswer>
{
    public CallChannel Channel => channel;

    public uint Id => id;
}

/// <summary>
/// A runtime's answer to one call: its HTTP status and how the call ended (<see cref="CallStatus"/>, which the call
/// protocol's answer frames carry; null over HTTP for a failure, whose problem's <c>cause</c> names it).
/// </summary>
internal sealed record CallAnswer(int Status, CallStatus? Cause, string? CallId, string ContentType, byte[] Body);

/// <summary>The channel took no new call (the runtime is going away, or the connection broke); nothing was sent.</summary>
internal sealed class CallChannelClosedException() : Exception("the call channel takes no new call");

/// <summary>The runtime's call port did not answer the preamble: no call was sent, and the runtime is failing.</summary>
internal sealed class CallProtocolUnsupportedException(string message) : Exception(message);
