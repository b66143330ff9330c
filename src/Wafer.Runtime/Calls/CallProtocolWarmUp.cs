using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Wafer.Protocol.Calls;

namespace Wafer.Runtime.Calls;

/// <summary>
/// One call over the call protocol to this runtime's own h2c port, as a gateway would make it, so a fresh process
/// compiles that path before a gateway's first call pays for it (see <see cref="Agent.ArtifactFetcher.WarmUpAsync"/>).
/// </summary>
internal static class CallProtocolWarmUp
{
    /// <summary>Calls <paramref name="plugin"/>/<paramref name="function"/> with <c>{}</c>; returns the answer's status.</summary>
    /// <exception cref="InvalidDataException">The port did not answer with the protocol.</exception>
    public static async Task<int> CallAsync(string h2cUrl, string plugin, string function, CancellationToken cancellationToken)
    {
        var address = new Uri(h2cUrl);
        using var socket = new TcpClient { NoDelay = true };
        await socket.ConnectAsync(address.Host, address.Port, cancellationToken);
        await using var stream = socket.GetStream();
        var call = new ArrayBufferWriter<byte>();
        call.Write(CallFrames.Preamble);
        CallFrames.WriteCall(call, 1, plugin, function, "{}"u8);
        await stream.WriteAsync(call.WrittenMemory, cancellationToken);

        var input = PipeReader.Create(stream);
        var preamble = await input.ReadAtLeastAsync(CallFrames.Preamble.Length, cancellationToken);
        if (preamble.Buffer.Length < CallFrames.Preamble.Length || !CallFrames.AgreesWithPreamble(preamble.Buffer))
        {
            throw new InvalidDataException($"{h2cUrl} did not answer with the call protocol's preamble");
        }

        input.AdvanceTo(preamble.Buffer.GetPosition(CallFrames.Preamble.Length));
        while (true)
        {
            var read = await input.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            if (CallFrames.TryRead(ref buffer, CallFrames.MaxFrameBytes, out _, out var payload))
            {
                return CallFrames.ReadAnswer(payload).Status;
            }

            if (read.IsCompleted)
            {
                throw new InvalidDataException($"{h2cUrl} closed the connection before answering");
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
