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
    /// <param name="key">The call-port key (<see cref="CallPortGuard.Key"/>), null without a token.</param>
    /// <exception cref="InvalidDataException">The port did not answer with the protocol, or refused the credential.</exception>
    public static async Task<int> CallAsync(string h2cUrl, byte[]? key, string plugin, string function, CancellationToken cancellationToken)
    {
        var address = new Uri(h2cUrl);
        using var socket = new TcpClient { NoDelay = true };
        await socket.ConnectAsync(address.Host, address.Port, cancellationToken);
        await using var stream = socket.GetStream();
        await stream.WriteAsync(CallFrames.Preamble.ToArray(), cancellationToken);

        var input = PipeReader.Create(stream);
        var preamble = await input.ReadAtLeastAsync(CallFrames.Preamble.Length, cancellationToken);
        if (preamble.Buffer.Length < CallFrames.Preamble.Length || !CallFrames.AgreesWithPreamble(preamble.Buffer))
        {
            throw new InvalidDataException($"{h2cUrl} did not answer with the call protocol's preamble");
        }

        input.AdvanceTo(preamble.Buffer.GetPosition(CallFrames.Preamble.Length));
        var challenge = await CallHandshake.ReadAsync(input, cancellationToken);
        var frames = new ArrayBufferWriter<byte>();
        CallHandshake.Write(frames, CallHandshake.Prove(key, challenge));
        CallFrames.WriteCall(frames, 1, plugin, function, "{}"u8); // sent with the proof: refused, it is not run
        await stream.WriteAsync(frames.WrittenMemory, cancellationToken);
        var (verdict, reason) = CallHandshake.ReadVerdict(await CallHandshake.ReadAsync(input, cancellationToken));
        if (verdict != CallHandshake.Accepted)
        {
            throw new InvalidDataException($"{h2cUrl} refused the call: {reason}");
        }

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
