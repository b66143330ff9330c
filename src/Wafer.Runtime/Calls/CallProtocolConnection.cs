using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;
using Wafer.Protocol.Calls;
using Wafer.Runtime.Http;

namespace Wafer.Runtime.Calls;

/// <summary>
/// Serves one gateway connection speaking the call protocol (docs/call-protocol.md). First the gateway proves it holds
/// the fleet's credential (<see cref="CallPortGuard"/>); a peer that does not is closed with nothing run. Then calls
/// are read as they come, each runs on the thread pool once it has an execution slot (a long call holds up no other),
/// and answers go out as calls finish, several per socket write under load. At most
/// <see cref="CallPortGuard.MaxCallsPerConnection"/> calls are read and not yet answered: the rest wait unread in the
/// socket, and since a call counts until its answer is written out, a peer that stops reading answers stops being read
/// (the server buffers a bounded amount of output). When the server stops, the gateway is told to take no new call
/// here, calls already sent are answered (a call that arrives after that with 503, unrun, so the gateway sends it
/// elsewhere), and the connection ends when the gateway closes its side.
/// </summary>
internal sealed partial class CallProtocolConnection(
    ConnectionContext connection, FunctionCalls calls, CallPortGuard guard, ILogger<CallProtocolConnection> logger)
{
    // What an answer's body may take of a frame, leaving room for its head.
    private const int MaxResultBodyBytes = CallFrames.MaxFrameBytes - 1024;

    private readonly PipeWriter _output = connection.Transport.Output;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SemaphoreSlim _unanswered = new(guard.MaxCallsPerConnection, guard.MaxCallsPerConnection);
    private readonly TaskCompletionSource _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _pending = 1; // the read loop's own share: zero means it ended and every call is answered
    private volatile bool _stopping;

    public async Task RunAsync()
    {
        if (connection.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket)
        {
            CallSockets.Configure(socket);
        }

        var input = connection.Transport.Input;
        if (!await HandshakeAsync(input))
        {
            await input.CompleteAsync();
            await _output.CompleteAsync();
            return;
        }

        var closing = connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested ?? CancellationToken.None;
        await using var onClosing = closing.Register(() => _ = GoAwayAsync());
        try
        {
            await ReadCallsAsync(input);
        }
        catch (InvalidDataException e)
        {
            Broken(logger, connection.ConnectionId, e.Message);
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or ConnectionAbortedException)
        {
            // the gateway went away; answers still owed are written to nowhere
        }
        finally
        {
            if (Interlocked.Decrement(ref _pending) != 0)
            {
                await _answered.Task;
            }

            await input.CompleteAsync();
            await _writeLock.WaitAsync(); // no goodbye half-written; a later one finds the output completed
            await _output.CompleteAsync();
            _writeLock.Release();
        }
    }

    /// <summary>Preamble and challenge out, proof in, verdict out; false when the peer is refused (and told why).</summary>
    private async Task<bool> HandshakeAsync(PipeReader input)
    {
        var challenge = CallHandshake.NewChallenge();
        await WriteAsync(static (output, challenge) =>
        {
            output.Write(CallFrames.Preamble);
            CallHandshake.Write(output, challenge);
        }, challenge);

        string? refusal;
        try
        {
            using var within = new CancellationTokenSource(CallHandshake.Within);
            var proof = await CallHandshake.ReadAsync(input, within.Token);
            refusal = guard.Check(challenge, proof);
        }
        catch (OperationCanceledException)
        {
            refusal = $"no credential within {CallHandshake.Within.TotalSeconds:0} s";
        }
        catch (InvalidDataException e)
        {
            refusal = $"a broken handshake: {e.Message}";
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or ConnectionAbortedException)
        {
            return false; // gone before it said anything
        }

        try
        {
            await WriteAsync(static (output, refusal) => CallHandshake.WriteVerdict(output,
                refusal is null ? CallHandshake.Accepted : CallHandshake.Refused,
                refusal is null ? CallTraceContext.AcceptedReason : "the call port refused " + refusal), refusal);
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or ConnectionAbortedException)
        {
            refusal ??= "gone before the verdict";
        }

        if (refusal is not null)
        {
            guard.Refused(connection.ConnectionId, connection.RemoteEndPoint?.ToString(), refusal);
        }

        return refusal is null;
    }

    /// <summary>Reads calls until the gateway closes; waits unread while the connection has its most calls unanswered.</summary>
    private async Task ReadCallsAsync(PipeReader input)
    {
        while (true)
        {
            var read = await input.ReadAsync();
            var buffer = read.Buffer;
            try
            {
                while (CallFrames.TryRead(ref buffer, CallFrames.MaxCallFrameBytes, out var id, out var payload))
                {
                    if (!_unanswered.Wait(0))
                    {
                        await _unanswered.WaitAsync(); // the frame stays in the buffer, valid, until it is taken
                    }

                    Start(id, payload);
                }
            }
            finally
            {
                input.AdvanceTo(buffer.Start, buffer.End);
            }

            if (read.IsCompleted || read.IsCanceled)
            {
                return;
            }
        }
    }

    private void Start(uint id, ReadOnlySequence<byte> payload)
    {
        string plugin, function;
        ActivityContext trace;
        ReadOnlySequence<byte> body;
        try
        {
            (plugin, function, trace, body) = CallFrames.ReadCall(payload);
        }
        catch
        {
            _unanswered.Release();
            throw;
        }

        Interlocked.Increment(ref _pending);
        ThreadPool.UnsafeQueueUserWorkItem(
            static state => _ = state.Owner.RunAsync(state.Id, state.Plugin, state.Function, state.Trace, state.Body),
            new Call(this, id, plugin, function, trace, body.Length > calls.MaxRequestBytes ? null : body.ToArray()),
            preferLocal: false);
    }

    private async Task RunAsync(uint id, string plugin, string name, ActivityContext trace, byte[]? body)
    {
        try
        {
            CallOutcome outcome;
            string? function = null; // its qualified name, once it runs
            if (_stopping)
            {
                outcome = CallRefusals.Stopping();
            }
            else if (calls.Resolve(plugin, name, out var resolved) is { } notFound)
            {
                outcome = notFound;
            }
            else if (body is null)
            {
                outcome = CallRefusals.TooLarge(calls.MaxRequestBytes);
            }
            else
            {
                function = resolved.QualifiedName;
                outcome = await calls.InvokeAsync(resolved, body, trace);
            }

            var callId = outcome.CallId;
            if (outcome.Succeeded && ResultBody.Length(outcome.ResultJson!) is var length && length > MaxResultBodyBytes)
            {
                // It ran: the head still carries its id, the problem does not repeat it.
                outcome = CallRefusals.ResultTooLarge(length, MaxResultBodyBytes);
            }

            if (!outcome.Succeeded)
            {
                await WriteProblemAsync(id, callId, CallProblem.Of(outcome, function));
            }
            else
            {
                await WriteAsync(static (output, state) =>
                {
                    CallFrames.WriteAnswerHead(output, state.Id, CallStatus.Ok, state.CallId, "application/json", ResultBody.Length(state.Result));
                    ResultBody.Write(output, state.Result);
                }, (Id: id, CallId: callId, Result: outcome.ResultJson!));
            }
        }
        catch (Exception e)
        {
            CallFailed(logger, connection.ConnectionId, plugin, name, e);
            connection.Abort(new ConnectionAbortedException("a call could not be answered", e));
        }
        finally
        {
            _unanswered.Release();
            if (Interlocked.Decrement(ref _pending) == 0)
            {
                _answered.TrySetResult();
            }
        }
    }

    /// <summary>
    /// A problem with the fields and bytes the HTTP endpoint answers (<see cref="CallProblem.WriteJson"/>), behind a head
    /// carrying its cause.
    /// </summary>
    private Task WriteProblemAsync(uint id, string? callId, CallProblem problem)
    {
        var body = new ArrayBufferWriter<byte>(256);
        problem.WriteJson(body);
        return WriteAsync(static (output, state) =>
        {
            CallFrames.WriteAnswerHead(output, state.Id, state.Problem.Status, state.CallId, CallProblem.ContentType, state.Body.WrittenCount);
            output.Write(state.Body.WrittenSpan);
        }, (Id: id, CallId: callId, Problem: problem, Body: body));
    }

    private async Task GoAwayAsync()
    {
        _stopping = true;
        try
        {
            await WriteAsync(static (output, _) => CallFrames.WriteGoAway(output), 0);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
        {
            // the connection is gone already
        }
    }

    private async Task WriteAsync<TState>(Action<PipeWriter, TState> write, TState state)
    {
        await _writeLock.WaitAsync();
        try
        {
            write(_output, state);
            await _output.FlushAsync();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private sealed record Call(CallProtocolConnection Owner, uint Id, string Plugin, string Function, ActivityContext Trace, byte[]? Body);

    [LoggerMessage(EventId = 2750, EventName = "CallProtocolBroken", Level = LogLevel.Warning,
        Message = "Call connection {Connection} sent a broken frame and was closed: {Reason}")]
    private static partial void Broken(ILogger logger, string connection, string reason);

    [LoggerMessage(EventId = 2751, EventName = "CallProtocolAnswerFailed", Level = LogLevel.Error,
        Message = "Call connection {Connection}: the call of {Plugin}/{Function} could not be answered; connection closed")]
    private static partial void CallFailed(ILogger logger, string connection, string plugin, string function, Exception exception);
}
