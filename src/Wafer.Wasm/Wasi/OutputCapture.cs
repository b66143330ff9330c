namespace Wafer.Wasm.Wasi;

/// <summary>
/// Collects what a guest writes to stdout or stderr, up to a cap; what lies beyond the cap is counted, not kept.
/// Written from Wasmtime's output thread, read after the run.
/// </summary>
internal sealed class OutputCapture(int limit)
{
    private readonly Lock _lock = new();
    private byte[] _buffer = [];
    private int _length;
    private long _total;

    /// <summary>True when the guest wrote more than the cap.</summary>
    public bool Truncated
    {
        get
        {
            lock (_lock)
            {
                return _total > _length;
            }
        }
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        lock (_lock)
        {
            _total += data.Length;
            var take = Math.Min(data.Length, limit - _length);
            if (take <= 0)
            {
                return;
            }

            if (_length + take > _buffer.Length)
            {
                var size = Math.Min(limit, Math.Max(_length + take, Math.Max(4096, _buffer.Length * 2)));
                Array.Resize(ref _buffer, size);
            }

            data[..take].CopyTo(_buffer.AsSpan(_length));
            _length += take;
        }
    }

    public byte[] ToArray()
    {
        lock (_lock)
        {
            return _buffer.AsSpan(0, _length).ToArray();
        }
    }

    /// <summary>Hands over what was kept and starts empty again.</summary>
    public byte[] Drain()
    {
        lock (_lock)
        {
            var bytes = _buffer.AsSpan(0, _length).ToArray();
            _length = 0;
            _total = 0;
            return bytes;
        }
    }
}
