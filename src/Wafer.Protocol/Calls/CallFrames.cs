using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text;

namespace Wafer.Protocol.Calls;

/// <summary>
/// The call protocol between gateways and runtimes (docs/call-protocol.md): after a preamble each way, a stream of
/// length-prefixed frames, calls one way and answers the other, matched by id, many in flight on one connection.
/// A function call is a name and a small body in, a status (with its cause, <see cref="CallStatus"/>) and a body out; sent this way it skips HTTP on both
/// sides. Integers are big-endian; strings are UTF-8 with a 16-bit length.
/// </summary>
public static class CallFrames
{
    /// <summary>
    /// What the gateway sends first on a new connection, and the runtime answers with before any answer. As long as
    /// HTTP/2's connection preface (24 bytes), so a server that speaks only HTTP/2 refuses it at once rather than
    /// waiting for more, and unlike any HTTP/1.1 request line a server would accept.
    /// </summary>
    public static ReadOnlySpan<byte> Preamble => "CALL * WAFER/3\r\n\r\nGW\r\n\r\n"u8;

    /// <summary>
    /// Whether <paramref name="buffer"/> agrees with the preamble so far: all of it when it holds that many bytes, its
    /// beginning when it holds fewer.
    /// </summary>
    public static bool AgreesWithPreamble(ReadOnlySequence<byte> buffer)
    {
        var seen = (int)Math.Min(buffer.Length, Preamble.Length);
        Span<byte> start = stackalloc byte[Preamble.Length];
        buffer.Slice(0, seen).CopyTo(start);
        return Preamble.StartsWith(start[..seen]);
    }

    /// <summary>The frame header: the length of what follows it (4 bytes), then the frame's id (4 bytes).</summary>
    public const int HeaderBytes = 8;

    /// <summary>The largest answer frame (the length field counts the id and the payload); a larger result goes over HTTP.</summary>
    public const int MaxFrameBytes = 64 * 1024 * 1024;

    /// <summary>
    /// The largest call frame a runtime takes: a gateway sends bodies up to 64 KiB this way and larger ones over HTTP.
    /// Kept under the 1 MiB a server buffers unread per connection, so a whole frame always fits.
    /// </summary>
    public const int MaxCallFrameBytes = 512 * 1024;

    /// <summary>
    /// The id of the runtime's goodbye: it is stopping, calls already sent are answered (those not run with 503),
    /// and the connection should take no new call.
    /// </summary>
    public const uint GoAwayId = 0;

    /// <summary>Writes a call of <paramref name="function"/> in <paramref name="plugin"/> with a JSON object of named arguments.</summary>
    public static void WriteCall(IBufferWriter<byte> writer, uint id, string plugin, string function, ReadOnlySpan<byte> body) =>
        WriteCall(writer, id, plugin, function, body, withExtensions: false, default);

    /// <summary>
    /// Writes a call, with the extension block carrying <paramref name="trace"/> when <paramref name="withExtensions"/>
    /// (the runtime reads it, <see cref="CallTraceContext"/>) and the call needs one.
    /// </summary>
    public static void WriteCall(IBufferWriter<byte> writer, uint id, string plugin, string function, ReadOnlySpan<byte> body, bool withExtensions, in ActivityContext trace)
    {
        var extensions = withExtensions && CallTraceContext.Needed(trace, body) ? CallTraceContext.Length(trace) : 0;
        var length = 4 + StringBytes(plugin) + StringBytes(function) + extensions + body.Length;
        var span = writer.GetSpan(4 + length);
        BinaryPrimitives.WriteInt32BigEndian(span, length);
        BinaryPrimitives.WriteUInt32BigEndian(span[4..], id);
        var at = HeaderBytes;
        at += WriteString(span[at..], plugin);
        at += WriteString(span[at..], function);
        if (extensions > 0)
        {
            at += CallTraceContext.Write(span[at..], trace);
        }

        body.CopyTo(span[at..]);
        writer.Advance(4 + length);
    }

    /// <summary>
    /// Writes the head of an answer whose body (<paramref name="bodyLength"/> bytes) the caller writes next:
    /// <paramref name="cause"/>'s code and HTTP status (<see cref="CallStatuses"/>), the call id, the content type.
    /// </summary>
    public static void WriteAnswerHead(IBufferWriter<byte> writer, uint id, CallStatus cause, string? callId, string contentType, int bodyLength) =>
        WriteAnswerHead(writer, id, cause.HttpStatus(), cause, callId, contentType, bodyLength);

    /// <summary>Writes the head of an answer with an HTTP status of its own (a peer's, or a test's).</summary>
    public static void WriteAnswerHead(IBufferWriter<byte> writer, uint id, int status, CallStatus cause, string? callId, string contentType, int bodyLength)
    {
        var headLength = 4 + 2 + 1 + StringBytes(callId ?? "") + StringBytes(contentType);
        var span = writer.GetSpan(4 + headLength);
        BinaryPrimitives.WriteInt32BigEndian(span, headLength + bodyLength);
        BinaryPrimitives.WriteUInt32BigEndian(span[4..], id);
        BinaryPrimitives.WriteUInt16BigEndian(span[HeaderBytes..], checked((ushort)status));
        span[HeaderBytes + 2] = (byte)cause;
        var at = HeaderBytes + 3;
        at += WriteString(span[at..], callId ?? "");
        WriteString(span[at..], contentType);
        writer.Advance(4 + headLength);
    }

    /// <summary>Writes the runtime's goodbye (<see cref="GoAwayId"/>).</summary>
    public static void WriteGoAway(IBufferWriter<byte> writer)
    {
        var span = writer.GetSpan(HeaderBytes);
        BinaryPrimitives.WriteInt32BigEndian(span, 4);
        BinaryPrimitives.WriteUInt32BigEndian(span[4..], GoAwayId);
        writer.Advance(HeaderBytes);
    }

    /// <summary>
    /// Takes one whole frame off the front of <paramref name="buffer"/>: its id and its payload (what follows the id).
    /// False when the frame is not all there yet. A length out of bounds is a broken stream.
    /// </summary>
    /// <exception cref="InvalidDataException">The frame's length is under 4 or over <paramref name="maxFrameBytes"/>.</exception>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, int maxFrameBytes, out uint id, out ReadOnlySequence<byte> payload)
    {
        id = 0;
        payload = default;
        if (buffer.Length < HeaderBytes)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[HeaderBytes];
        buffer.Slice(0, HeaderBytes).CopyTo(header);
        var length = BinaryPrimitives.ReadInt32BigEndian(header);
        if (length < 4 || length > maxFrameBytes)
        {
            throw new InvalidDataException($"a frame of {length} bytes (from 4 to {maxFrameBytes})");
        }

        if (buffer.Length < 4 + length)
        {
            return false;
        }

        id = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        payload = buffer.Slice(HeaderBytes, length - 4);
        buffer = buffer.Slice(4 + length);
        return true;
    }

    /// <summary>
    /// Hands each whole frame from <paramref name="input"/> to <paramref name="onFrame"/> (its payload is valid only
    /// during the call) until the other side closes. A length out of bounds ends it with <see cref="InvalidDataException"/>.
    /// </summary>
    public static async Task ReadEachAsync(PipeReader input, int maxFrameBytes, Action<uint, ReadOnlySequence<byte>> onFrame)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(onFrame);
        while (true)
        {
            var read = await input.ReadAsync();
            var buffer = read.Buffer;
            try
            {
                while (TryRead(ref buffer, maxFrameBytes, out var id, out var payload))
                {
                    onFrame(id, payload);
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

    /// <summary>Reads a call's payload: the names, the trace context of its extension block (default without one), the body.</summary>
    /// <exception cref="InvalidDataException">The payload is cut short.</exception>
    public static (string Plugin, string Function, ActivityContext Trace, ReadOnlySequence<byte> Body) ReadCall(ReadOnlySequence<byte> payload)
    {
        var reader = new SequenceReader<byte>(payload);
        var plugin = ReadString(ref reader);
        var function = ReadString(ref reader);
        var trace = CallTraceContext.Read(ref reader);
        return (plugin, function, trace, reader.UnreadSequence);
    }

    /// <summary>Reads an answer's payload; a cause code this side does not know reads as null (the status still holds).</summary>
    /// <exception cref="InvalidDataException">The payload is cut short.</exception>
    public static (int Status, CallStatus? Cause, string? CallId, string ContentType, ReadOnlySequence<byte> Body) ReadAnswer(ReadOnlySequence<byte> payload)
    {
        var reader = new SequenceReader<byte>(payload);
        if (!reader.TryReadBigEndian(out short status) || !reader.TryRead(out var code))
        {
            throw new InvalidDataException("an answer frame without a status and a cause");
        }

        var callId = ReadString(ref reader);
        var contentType = ReadContentType(ref reader);
        CallStatus? cause = CallStatuses.IsKnown(code) ? (CallStatus)code : null;
        return ((ushort)status, cause, callId.Length == 0 ? null : callId, contentType, reader.UnreadSequence);
    }

    private static int StringBytes(string value)
    {
        var bytes = Encoding.UTF8.GetByteCount(value);
        if (bytes > ushort.MaxValue)
        {
            throw new ArgumentException($"a call frame string is at most {ushort.MaxValue} bytes, got {bytes}", nameof(value));
        }

        return 2 + bytes;
    }

    private static int WriteString(Span<byte> span, string value)
    {
        var written = Encoding.UTF8.GetBytes(value, span[2..]);
        BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)written);
        return 2 + written;
    }

    /// <summary>A content type, the two every answer carries as the same strings (no string made per answer).</summary>
    private static string ReadContentType(ref SequenceReader<byte> reader)
    {
        if (reader.TryReadBigEndian(out short raw))
        {
            var bytes = reader.UnreadSpan.Length >= (ushort)raw ? reader.UnreadSpan[..(ushort)raw] : default;
            var known = bytes.SequenceEqual("application/json"u8) ? "application/json"
                : bytes.SequenceEqual("application/problem+json"u8) ? "application/problem+json"
                : null;
            if (known is not null)
            {
                reader.Advance(bytes.Length);
                return known;
            }

            reader.Rewind(2);
        }

        return ReadString(ref reader);
    }

    private static string ReadString(ref SequenceReader<byte> reader)
    {
        if (!reader.TryReadBigEndian(out short raw) || reader.Remaining < (ushort)raw)
        {
            throw new InvalidDataException("a call frame cut short inside a string");
        }

        var length = (ushort)raw;
        var value = reader.UnreadSpan.Length >= length
            ? Encoding.UTF8.GetString(reader.UnreadSpan[..length])
            : Encoding.UTF8.GetString(reader.UnreadSequence.Slice(0, length));
        reader.Advance(length);
        return value;
    }
}
