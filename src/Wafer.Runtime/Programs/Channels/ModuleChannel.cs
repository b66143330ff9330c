using System.Threading.Channels;
using Wafer.Protocol.V1;
using Wafer.Wasm.Wasi.Channels;

namespace Wafer.Runtime.Programs.Channels;

/// <summary>
/// One channel of a running program module (docs/silverline.md, "Channels"), framed by lines: each MQTT message on
/// the topic is one line the guest reads (a newline added unless it ends with one), and each line the guest writes
/// is one message (without its newline). Messages wait for the guest in a queue of <see cref="MaxQueued"/>; when it
/// is full the oldest is dropped. A line longer than <see cref="MaxLineBytes"/> is sent in pieces of that size.
/// </summary>
public sealed class ModuleChannel : ICommandChannel
{
    public const int MaxQueued = 256;
    public const int MaxLineBytes = 64 * 1024;

    private readonly Channel<byte[]> _incoming;
    private readonly Action<ModuleChannel, byte[]> _publish;
    private readonly Lock _lineLock = new();
    private byte[] _line = new byte[256];
    private int _lineLength;
    private byte[] _pending = [];
    private int _pendingOffset;
    private long _dropped;

    /// <param name="body">The channel as the module's request gave it.</param>
    /// <param name="writer">This channel's identity on the messages it publishes, so that an <c>rw</c> channel never reads its own.</param>
    /// <param name="publish">Sends one message on the channel's topic; must not block.</param>
    public ModuleChannel(ChannelBody body, string writer, Action<ModuleChannel, byte[]> publish)
    {
        ArgumentNullException.ThrowIfNull(body);
        Body = body;
        Writer = writer;
        _publish = publish;
        _incoming = Channel.CreateBounded<byte[]>(
            new BoundedChannelOptions(MaxQueued) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
    }

    public ChannelBody Body { get; }

    public string Writer { get; }

    public string Path => Body.Path.StartsWith('/') ? Body.Path : "/" + Body.Path;

    public bool Readable => Body.Reads;

    public bool Writable => Body.Writes;

    /// <summary>Messages dropped because the guest did not read them in time.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>A message arrived on the topic (from the MQTT client's thread).</summary>
    public void Deliver(ReadOnlySpan<byte> payload)
    {
        var framed = payload.EndsWith("\n"u8) ? payload.ToArray() : [.. payload, (byte)'\n'];
        _incoming.Writer.TryWrite(framed);
    }

    /// <summary>No more messages: the guest's next read past what is queued is end of file.</summary>
    public void End() => _incoming.Writer.TryComplete();

    public int Read(Span<byte> buffer, CancellationToken stop)
    {
        while (_pendingOffset >= _pending.Length)
        {
            if (_incoming.Reader.TryRead(out var next))
            {
                (_pending, _pendingOffset) = (next, 0);
                break;
            }

            // The guest's thread waits here, as a read of a pipe does.
            if (!_incoming.Reader.WaitToReadAsync(stop).AsTask().GetAwaiter().GetResult())
            {
                return 0;
            }
        }

        var take = Math.Min(buffer.Length, _pending.Length - _pendingOffset);
        _pending.AsSpan(_pendingOffset, take).CopyTo(buffer);
        _pendingOffset += take;
        return take;
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        lock (_lineLock)
        {
            while (!data.IsEmpty)
            {
                var newline = data.IndexOf((byte)'\n');
                var take = newline < 0 ? data.Length : newline;
                take = Math.Min(take, MaxLineBytes - _lineLength);
                Append(data[..take]);
                data = data[take..];
                if (newline == take && !data.IsEmpty)
                {
                    data = data[1..]; // the newline ends the message and is not part of it
                    Flush();
                }
                else if (_lineLength == MaxLineBytes)
                {
                    Flush();
                }
            }
        }
    }

    /// <summary>Sends what the guest wrote after its last newline (the run ended).</summary>
    public void FlushPartialLine()
    {
        lock (_lineLock)
        {
            if (_lineLength > 0)
            {
                Flush();
            }
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_lineLength + bytes.Length > _line.Length)
        {
            Array.Resize(ref _line, Math.Min(MaxLineBytes, Math.Max(_lineLength + bytes.Length, _line.Length * 2)));
        }

        bytes.CopyTo(_line.AsSpan(_lineLength));
        _lineLength += bytes.Length;
    }

    private void Flush()
    {
        var message = _line.AsSpan(0, _lineLength).ToArray();
        _lineLength = 0;
        _publish(this, message);
    }
}
