using System.Buffers;
using System.Diagnostics;
using System.Text;
using Wafer.Protocol.Calls;

namespace Wafer.Runtime.Tests.Protocol;

/// <summary>
/// The call frame's optional extension block (docs/call-protocol.md, "Extensions"): a call carries its trace context to
/// runtimes that offered it, and frames without the block, from gateways that predate it, read as before.
/// </summary>
public sealed class CallTraceContextTests
{
    private static readonly ActivityContext Trace = new(
        ActivityTraceId.CreateFromString("4bf92f3577b34da6a3ce929d0e0e4736"), ActivitySpanId.CreateFromString("00f067aa0ba902b7"),
        ActivityTraceFlags.Recorded, "vendor=abc,other=1", isRemote: true);

    private static (string Plugin, string Function, ActivityContext Trace, byte[] Body) RoundTrip(bool withExtensions, ActivityContext trace, byte[] body)
    {
        var writer = new ArrayBufferWriter<byte>();
        CallFrames.WriteCall(writer, 5, "hello", "greet", body, withExtensions, trace);
        var buffer = new ReadOnlySequence<byte>(writer.WrittenMemory);
        Assert.True(CallFrames.TryRead(ref buffer, CallFrames.MaxCallFrameBytes, out var id, out var payload));
        Assert.Equal((5u, 0L), (id, buffer.Length));
        var (plugin, function, read, rest) = CallFrames.ReadCall(payload);
        return (plugin, function, read, rest.ToArray());
    }

    [Fact]
    public void Call_WithTraceContext_RoundTripsIdsFlagsAndState()
    {
        var (plugin, function, trace, body) = RoundTrip(true, Trace, """{"name":"Ada"}"""u8.ToArray());

        Assert.Equal(("hello", "greet", """{"name":"Ada"}"""), (plugin, function, Encoding.UTF8.GetString(body)));
        Assert.Equal((Trace.TraceId, Trace.SpanId, ActivityTraceFlags.Recorded, "vendor=abc,other=1", true),
            (trace.TraceId, trace.SpanId, trace.TraceFlags, trace.TraceState, trace.IsRemote));
    }

    [Fact]
    public void Call_ToARuntimeThatDidNotOfferIt_CarriesNoBlock_ByteForByteAsBefore()
    {
        var old = new ArrayBufferWriter<byte>();
        CallFrames.WriteCall(old, 5, "hello", "greet", "{}"u8);
        var withoutOffer = new ArrayBufferWriter<byte>();
        CallFrames.WriteCall(withoutOffer, 5, "hello", "greet", "{}"u8, withExtensions: false, Trace);

        Assert.Equal(old.WrittenSpan.ToArray(), withoutOffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Call_WithoutTraceContext_ToARuntimeThatOfferedIt_CarriesNoBlock()
    {
        var (_, _, trace, body) = RoundTrip(true, default, "{}"u8.ToArray());

        Assert.Equal((default(ActivityContext), "{}"), (trace, Encoding.UTF8.GetString(body)));
    }

    [Fact]
    public void Body_StartingWithTheMarker_IsSentBehindAnEmptyBlock_AndReadBackWhole()
    {
        byte[] malformed = [0, 0, 1, 2, (byte)'{'];

        var (_, _, trace, body) = RoundTrip(true, default, malformed);

        Assert.Equal(default, trace);
        Assert.Equal(malformed, body);
    }

    [Fact]
    public void Block_ThatDoesNotParse_IsReadAsTheBody()
    {
        // A gateway that predates the block passing on a caller's body that starts with a 0 byte: the runtime
        // refuses it as the malformed JSON it is, rather than breaking the connection.
        byte[] body = [0, 0xFF, 0xFF, (byte)'x'];
        var (_, _, trace, read) = RoundTrip(false, default, body);

        Assert.Equal(default, trace);
        Assert.Equal(body, read);
    }

    [Fact]
    public void Block_WithAnEntryOfAnUnknownKind_SkipsIt()
    {
        var writer = new ArrayBufferWriter<byte>();
        Span<byte> entry = stackalloc byte[CallTraceContext.Length(Trace)];
        var written = CallTraceContext.Write(entry, Trace);
        // An unknown entry (kind 9, 2 bytes) before the trace entry: the block's length grows by 5.
        byte[] unknown = [9, 0, 2, 0xAB, 0xCD];
        var blockLength = (entry[1] << 8 | entry[2]) + unknown.Length;
        byte[] block = [0, (byte)(blockLength >> 8), (byte)blockLength, .. unknown, .. entry[3..written]];
        byte[] names = [0, 1, (byte)'p', 0, 1, (byte)'f'];
        byte[] payload = [.. names, .. block, .. "{}"u8];

        var (plugin, function, trace, rest) = CallFrames.ReadCall(new ReadOnlySequence<byte>(payload));

        Assert.Equal(("p", "f", Trace.TraceId, Trace.SpanId, "{}"), (plugin, function, trace.TraceId, trace.SpanId, Encoding.UTF8.GetString(rest.ToArray())));
    }

    [Theory]
    [InlineData("features: trace-context", true)]
    [InlineData("features: other trace-context", true)]
    [InlineData("", false)]
    [InlineData("features: trace-contexts", false)]
    public void Verdict_Offers_TheFeatureOnlyWhenNamed(string reason, bool offered) =>
        Assert.Equal(offered, CallTraceContext.Offered(reason));
}
