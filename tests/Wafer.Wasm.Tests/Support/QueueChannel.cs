using System.Collections.Concurrent;
using Wafer.Wasm.Wasi.Channels;

namespace Wafer.Wasm.Tests.Support;

/// <summary>A channel served from memory: the test adds what the guest reads and collects what it writes.</summary>
internal sealed class QueueChannel(string path, bool readable, bool writable) : ICommandChannel
{
    private readonly BlockingCollection<byte[]> _incoming = new();
    private readonly BlockingCollection<byte[]> _written = new();

    public string Path => path;

    public bool Readable => readable;

    public bool Writable => writable;

    public void Add(string text) => _incoming.Add(System.Text.Encoding.UTF8.GetBytes(text));

    public void End() => _incoming.CompleteAdding();

    /// <summary>The next write of the guest, or null when none comes within <paramref name="timeout"/>.</summary>
    public string? NextWrite(TimeSpan timeout) =>
        _written.TryTake(out var bytes, timeout) ? System.Text.Encoding.UTF8.GetString(bytes) : null;

    public int Read(Span<byte> buffer, CancellationToken stop)
    {
        // One message per read here: the guest's buffers are larger than the test's messages.
        if (!_incoming.TryTake(out var message, Timeout.Infinite, stop))
        {
            return 0;
        }

        message.CopyTo(buffer);
        return message.Length;
    }

    public void Write(ReadOnlySpan<byte> data) => _written.Add(data.ToArray());
}
