using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;

namespace Wafer.Protocol.Calls;

/// <summary>
/// The optional extension block of a call frame (docs/call-protocol.md, "Extensions"), which carries the caller's trace
/// context from a gateway to a runtime. It sits between the function name and the body and starts with a 0 byte, which
/// no JSON body can start with, so a frame without it reads as before. A gateway writes it only to runtimes whose
/// verdict offered <see cref="Feature"/>, so a runtime that predates it never sees one.
/// </summary>
public static class CallTraceContext
{
    /// <summary>What a runtime's accepting verdict names to say it reads the extension block.</summary>
    public const string Feature = "trace-context";

    /// <summary>The reason a runtime's accepting verdict carries: the features it reads, space-separated.</summary>
    public const string AcceptedReason = "features: " + Feature;

    /// <summary>The first byte of the block.</summary>
    public const byte Marker = 0;

    /// <summary>The kind of the trace-context entry: trace id (16), parent span id (8), flags (1), then the W3C tracestate as UTF-8.</summary>
    public const byte TraceKind = 1;

    private const int FixedTraceBytes = 16 + 8 + 1;

    /// <summary>The longest tracestate carried; W3C allows 32 entries of at most 256 characters, and proxies may cut it.</summary>
    public const int MaxStateBytes = 512;

    /// <summary>Whether an accepting verdict's reason offers the block.</summary>
    public static bool Offered(string reason) =>
        reason.StartsWith("features:", StringComparison.Ordinal)
        && reason["features:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(Feature, StringComparer.Ordinal);

    /// <summary>
    /// Whether a call to a runtime that reads the block needs one: it has a trace context to carry, or its body starts
    /// with the marker (a malformed body, sent behind an empty block so the runtime reads it as the body it is).
    /// </summary>
    public static bool Needed(in ActivityContext trace, ReadOnlySpan<byte> body) =>
        trace != default || (!body.IsEmpty && body[0] == Marker);

    /// <summary>The length of the block for <paramref name="trace"/> (an empty block when it is default).</summary>
    public static int Length(in ActivityContext trace) =>
        1 + 2 + (trace == default ? 0 : 1 + 2 + FixedTraceBytes + StateBytes(trace.TraceState));

    /// <summary>Writes the block into <paramref name="span"/>, which holds at least <see cref="Length"/> bytes; returns the bytes written.</summary>
    public static int Write(Span<byte> span, in ActivityContext trace)
    {
        span[0] = Marker;
        if (trace == default)
        {
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], 0);
            return 3;
        }

        var state = trace.TraceState ?? "";
        var stateBytes = StateBytes(state);
        var entry = FixedTraceBytes + stateBytes;
        BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)(3 + entry));
        span[3] = TraceKind;
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], (ushort)entry);
        trace.TraceId.CopyTo(span.Slice(6, 16));
        trace.SpanId.CopyTo(span.Slice(22, 8));
        span[30] = (byte)trace.TraceFlags;
        if (stateBytes > 0)
        {
            Encoding.UTF8.GetBytes(state.AsSpan(0, stateBytes), span.Slice(31, stateBytes)); // ASCII by the W3C grammar; longer is cut
        }

        return 3 + 3 + entry;
    }

    /// <summary>
    /// Reads the block at the front of <paramref name="reader"/> when there is one, leaving the reader at the body.
    /// A block that does not parse is left unread: the rest is the body (a malformed one, which the runtime refuses as such).
    /// Entries of kinds it does not know are skipped.
    /// </summary>
    public static ActivityContext Read(ref SequenceReader<byte> reader)
    {
        var start = reader;
        if (!reader.TryPeek(out var first) || first != Marker)
        {
            return default;
        }

        reader.Advance(1);
        if (!reader.TryReadBigEndian(out short rawLength) || reader.Remaining < (ushort)rawLength)
        {
            reader = start;
            return default;
        }

        var block = reader.UnreadSequence.Slice(0, (ushort)rawLength);
        reader.Advance((ushort)rawLength);
        var entries = new SequenceReader<byte>(block);
        var context = default(ActivityContext);
        while (entries.Remaining > 0)
        {
            if (!entries.TryRead(out var kind) || !entries.TryReadBigEndian(out short rawEntry) || entries.Remaining < (ushort)rawEntry)
            {
                reader = start;
                return default;
            }

            var entry = entries.UnreadSequence.Slice(0, (ushort)rawEntry);
            entries.Advance((ushort)rawEntry);
            if (kind == TraceKind && entry.Length >= FixedTraceBytes)
            {
                context = ReadTrace(entry);
            }
        }

        return context;
    }

    private static ActivityContext ReadTrace(ReadOnlySequence<byte> entry)
    {
        Span<byte> fixedPart = stackalloc byte[FixedTraceBytes];
        entry.Slice(0, FixedTraceBytes).CopyTo(fixedPart);
        var traceId = ActivityTraceId.CreateFromBytes(fixedPart[..16]);
        var spanId = ActivitySpanId.CreateFromBytes(fixedPart.Slice(16, 8));
        if (traceId == default || spanId == default)
        {
            return default; // all zeros is invalid in W3C trace context
        }

        var state = entry.Length > FixedTraceBytes ? Encoding.UTF8.GetString(entry.Slice(FixedTraceBytes)) : null;
        return new ActivityContext(traceId, spanId, (ActivityTraceFlags)fixedPart[24], state, isRemote: true);
    }

    /// <summary>The tracestate's bytes carried: none when it is not ASCII (the W3C grammar allows only ASCII), at most <see cref="MaxStateBytes"/>.</summary>
    private static int StateBytes(string? state) => state is null || !System.Text.Ascii.IsValid(state) ? 0 : Math.Min(state.Length, MaxStateBytes);
}
