using System.Threading.Channels;
using Wafer.Runtime.Storage;

namespace Wafer.Runtime.Logs;

/// <summary>
/// Hands call log lines to live readers (<c>GET /api/logs/stream</c>) as <see cref="CallLogWriter"/> takes them off
/// its queue: never on a call's path. Each reader has its own bounded queue; a reader that falls behind loses its
/// oldest lines (and is told how many), never slows the writer or another reader. At most
/// <see cref="MaxReaders"/> readers at a time.
/// </summary>
internal sealed class CallLogTail
{
    public const int MaxReaders = 64;
    public const int ReaderCapacity = 1024;

    private readonly Lock _lock = new();
    private volatile Reader[] _readers = [];

    public int ReaderCount => _readers.Length;

    /// <summary>A new reader of the lines that match <paramref name="filter"/>; null when <see cref="MaxReaders"/> are reading.</summary>
    public Reader? Subscribe(CallLogFilter filter)
    {
        lock (_lock)
        {
            if (_readers.Length >= MaxReaders)
            {
                return null;
            }

            var reader = new Reader(this, filter);
            _readers = [.. _readers, reader];
            return reader;
        }
    }

    public void Publish(CallLogRecord line)
    {
        foreach (var reader in _readers)
        {
            reader.Offer(line);
        }
    }

    private void Remove(Reader reader)
    {
        lock (_lock)
        {
            _readers = Array.FindAll(_readers, r => r != reader);
        }
    }

    public sealed class Reader : IDisposable
    {
        private readonly CallLogTail _tail;
        private readonly CallLogFilter _filter;
        private readonly Channel<CallLogRecord> _lines;
        private long _dropped;

        internal Reader(CallLogTail tail, CallLogFilter filter)
        {
            _tail = tail;
            _filter = filter;
            _lines = Channel.CreateBounded<CallLogRecord>(
                new BoundedChannelOptions(ReaderCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true },
                _ => Interlocked.Increment(ref _dropped));
        }

        public ChannelReader<CallLogRecord> Lines => _lines.Reader;

        /// <summary>Lines lost since the last call because this reader fell behind; resets the count.</summary>
        public long TakeDropped() => Interlocked.Exchange(ref _dropped, 0);

        internal void Offer(CallLogRecord line)
        {
            if (_filter.Matches(line))
            {
                _lines.Writer.TryWrite(line);
            }
        }

        public void Dispose()
        {
            _tail.Remove(this);
            _lines.Writer.TryComplete();
        }
    }
}
