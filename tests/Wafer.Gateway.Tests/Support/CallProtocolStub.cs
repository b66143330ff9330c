using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Wafer.Protocol.Calls;

namespace Wafer.Gateway.Tests.Support;

/// <summary>
/// Stands in for a runtime's h2c port speaking the call protocol (docs/call-protocol.md) on loopback: answers each
/// call as <c>reply</c> says, counts connections and calls. Real runtimes are in the fleet tests; this one can
/// misbehave on cue (drop the connection mid-call, say goodbye).
/// </summary>
public sealed class CallProtocolStub : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<Call, Reply> _reply;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Task _accepting;
    private int _connectionCount;
    private int _callCount;

    private readonly byte[]? _key;
    private int _refusedCount;

    private CallProtocolStub(Func<Call, Reply> reply, byte[]? key)
    {
        _reply = reply;
        _key = key;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>One call as the stub received it.</summary>
    public sealed record Call(string Plugin, string Function, string Body);

    /// <summary>
    /// What to do with a call: answer it (then say goodbye when <see cref="GoAway"/>), drop the connection, or answer
    /// with a frame cut short (<see cref="Broken"/>).
    /// </summary>
    public sealed record Reply(int Status = 200, string Body = """{"result":"stub"}""", string? CallId = "stub-1", bool GoAway = false, bool Drop = false, bool Broken = false);

    /// <summary>The cause an answer frame carries: ok for 200, else the <c>cause</c> the reply's problem names (bad_gateway when none).</summary>
    private static CallStatus CauseOf(Reply reply)
    {
        if (reply.Status == 200)
        {
            return CallStatus.Ok;
        }

        try
        {
            using var problem = System.Text.Json.JsonDocument.Parse(reply.Body);
            return problem.RootElement.TryGetProperty("cause", out var cause) && CallStatuses.TryParse(cause.GetString(), out var status)
                ? status
                : CallStatus.BadGateway;
        }
        catch (System.Text.Json.JsonException)
        {
            return CallStatus.BadGateway;
        }
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public int Connections => Volatile.Read(ref _connectionCount);

    public int Calls => Volatile.Read(ref _callCount);

    public Call? LastCall { get; private set; }

    /// <summary>Connections refused for a missing or wrong credential (only with a key).</summary>
    public int Refused => Volatile.Read(ref _refusedCount);

    /// <param name="key">When given, a gateway must prove it holds it, as on a runtime with a token.</param>
    public static CallProtocolStub Start(Func<Call, Reply>? reply = null, byte[]? key = null) => new(reply ?? (_ => new Reply()), key);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                Interlocked.Increment(ref _connectionCount);
                lock (_connections)
                {
                    _connections.Add(ServeAsync(socket));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        await using var stream = new NetworkStream(socket);
        var input = PipeReader.Create(stream);
        try
        {
            var preamble = await input.ReadAtLeastAsync(CallFrames.Preamble.Length, _stop.Token);
            input.AdvanceTo(preamble.Buffer.GetPosition(CallFrames.Preamble.Length));
            var challenge = CallHandshake.NewChallenge();
            var hello = new ArrayBufferWriter<byte>();
            hello.Write(CallFrames.Preamble);
            CallHandshake.Write(hello, challenge);
            await stream.WriteAsync(hello.WrittenMemory, _stop.Token);
            var proof = await CallHandshake.ReadAsync(input, _stop.Token);
            var accepted = _key is null || CallHandshake.Verify(_key, challenge, proof);
            var verdict = new ArrayBufferWriter<byte>();
            CallHandshake.WriteVerdict(verdict, accepted ? CallHandshake.Accepted : CallHandshake.Refused, accepted ? "" : "the call port refused a wrong credential");
            await stream.WriteAsync(verdict.WrittenMemory, _stop.Token);
            if (!accepted)
            {
                Interlocked.Increment(ref _refusedCount);
                return;
            }

            while (true)
            {
                var read = await input.ReadAsync(_stop.Token);
                var buffer = read.Buffer;
                var output = new ArrayBufferWriter<byte>();
                var drop = false;
                while (!drop && CallFrames.TryRead(ref buffer, CallFrames.MaxCallFrameBytes, out var id, out var payload))
                {
                    var (plugin, function, _, body) = CallFrames.ReadCall(payload);
                    var call = new Call(plugin, function, Encoding.UTF8.GetString(body.ToArray()));
                    LastCall = call;
                    Interlocked.Increment(ref _callCount);
                    var reply = _reply(call);
                    drop = reply.Drop;
                    if (reply.Broken)
                    {
                        var frame = output.GetSpan(CallFrames.HeaderBytes + 1);
                        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(frame, 5); // the id and one byte: no status
                        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame[4..], id);
                        frame[CallFrames.HeaderBytes] = 0;
                        output.Advance(CallFrames.HeaderBytes + 1);
                    }
                    else if (!drop)
                    {
                        var bytes = Encoding.UTF8.GetBytes(reply.Body);
                        CallFrames.WriteAnswerHead(output, id, reply.Status, CauseOf(reply), reply.CallId, reply.Status == 200 ? "application/json" : "application/problem+json", bytes.Length);
                        output.Write(bytes);
                        if (reply.GoAway)
                        {
                            CallFrames.WriteGoAway(output);
                        }
                    }
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (drop)
                {
                    socket.Close(0); // reset, as a killed process's connections are
                    return;
                }

                await stream.WriteAsync(output.WrittenMemory, _stop.Token);
                if (read.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections);
        _stop.Dispose();
    }
}
