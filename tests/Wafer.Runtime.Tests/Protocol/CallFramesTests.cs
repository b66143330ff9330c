using System.Buffers;
using System.Text;
using Wafer.Protocol.Calls;

namespace Wafer.Runtime.Tests.Protocol;

/// <summary>The call protocol's frames (docs/call-protocol.md): calls and answers round-trip; a broken stream is refused.</summary>
public sealed class CallFramesTests
{
    private static ReadOnlySequence<byte> Written(Action<ArrayBufferWriter<byte>> write)
    {
        var writer = new ArrayBufferWriter<byte>();
        write(writer);
        return new ReadOnlySequence<byte>(writer.WrittenMemory);
    }

    /// <summary>The same bytes as a sequence of one-byte segments, as a socket may deliver them.</summary>
    private static ReadOnlySequence<byte> Fragmented(ReadOnlySequence<byte> bytes)
    {
        var array = bytes.ToArray();
        var first = new Segment(array.AsMemory(0, 1), 0);
        var last = first;
        for (var i = 1; i < array.Length; i++)
        {
            last = last.Append(array.AsMemory(i, 1));
        }

        return new ReadOnlySequence<byte>(first, 0, last, 1);
    }

    [Fact]
    public void Call_RoundTrips_WithNamesBodyAndId()
    {
        var bytes = Written(w => CallFrames.WriteCall(w, 7, "hello-ünï", "greet", """{"name":"Ada"}"""u8));

        foreach (var buffer in new[] { bytes, Fragmented(bytes) })
        {
            var rest = buffer;
            Assert.True(CallFrames.TryRead(ref rest, CallFrames.MaxCallFrameBytes, out var id, out var payload));
            var (plugin, function, _, body) = CallFrames.ReadCall(payload);

            Assert.Equal((7u, "hello-ünï", "greet", """{"name":"Ada"}"""), (id, plugin, function, Encoding.UTF8.GetString(body.ToArray())));
            Assert.Equal(0, rest.Length);
        }
    }

    [Fact]
    public void Answers_RoundTrip_SeveralInOneBuffer_WithAndWithoutCallId()
    {
        var bytes = Written(w =>
        {
            CallFrames.WriteAnswerHead(w, 1, CallStatus.Ok, "c-42", "application/json", 12);
            w.Write("""{"result":1}"""u8);
            CallFrames.WriteAnswerHead(w, 2, CallStatus.NotFound, null, "application/problem+json", 0);
            CallFrames.WriteGoAway(w);
        });

        var rest = Fragmented(bytes);
        var read = new List<(uint, int, string?, string, string)>();
        var causes = new List<CallStatus?>();
        while (CallFrames.TryRead(ref rest, CallFrames.MaxFrameBytes, out var id, out var payload))
        {
            if (id == CallFrames.GoAwayId)
            {
                read.Add((id, 0, null, "", ""));
                continue;
            }

            var (status, cause, callId, contentType, body) = CallFrames.ReadAnswer(payload);
            read.Add((id, status, callId, contentType, Encoding.UTF8.GetString(body.ToArray())));
            causes.Add(cause);
        }

        Assert.Equal(
            [(1u, 200, "c-42", "application/json", """{"result":1}"""), (2u, 404, null, "application/problem+json", ""), (0u, 0, null, "", "")],
            read);
        Assert.Equal([CallStatus.Ok, CallStatus.NotFound], causes);
        Assert.Equal(0, rest.Length);
    }

    [Fact]
    public void PartialFrame_NotReadUntilWhole()
    {
        var bytes = Written(w => CallFrames.WriteCall(w, 3, "p", "f", new byte[100]));

        for (var cut = 0; cut < bytes.Length; cut += 7)
        {
            var partial = bytes.Slice(0, cut);
            Assert.False(CallFrames.TryRead(ref partial, CallFrames.MaxCallFrameBytes, out _, out _));
            Assert.Equal(cut, partial.Length); // nothing taken
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(-1)]
    [InlineData(CallFrames.MaxCallFrameBytes + 1)]
    public void FrameLength_OutOfBounds_RefusedAsBroken(int length)
    {
        var header = new byte[CallFrames.HeaderBytes];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header, length);
        var buffer = new ReadOnlySequence<byte>(header);

        var error = Assert.Throws<InvalidDataException>(() => CallFrames.TryRead(ref buffer, CallFrames.MaxCallFrameBytes, out _, out _));

        Assert.Contains($"a frame of {length} bytes (from 4 to {CallFrames.MaxCallFrameBytes})", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CallCutShortInsideAName_RefusedAsBroken()
    {
        var bytes = Written(w => CallFrames.WriteCall(w, 3, "plugin", "function", default)).ToArray();
        var payload = new ReadOnlySequence<byte>(bytes.AsMemory(CallFrames.HeaderBytes, 2 + 6 + 2 + 3)); // "fun"

        var error = Assert.Throws<InvalidDataException>(() => CallFrames.ReadCall(payload));

        Assert.Contains("cut short inside a string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Preamble_IsAsLongAsTheHttp2Preface_AndNotAnHttpMethod()
    {
        Assert.Equal("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".Length, CallFrames.Preamble.Length);
        Assert.StartsWith("CALL * ", Encoding.ASCII.GetString(CallFrames.Preamble), StringComparison.Ordinal);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
