using System.Text;

namespace Wafer.Runtime.Programs.Output;

/// <summary>The last <see cref="Capacity"/> bytes a running program wrote to one stream (a ring), and how much it wrote in all.</summary>
public sealed class OutputTail
{
    public const int Capacity = 64 * 1024;

    private readonly Lock _lock = new();
    private readonly byte[] _ring = new byte[Capacity];
    private long _total;

    /// <summary>Called on Wasmtime's output thread for each piece the guest writes.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        lock (_lock)
        {
            if (data.Length > Capacity)
            {
                _total += data.Length - Capacity;
                data = data[^Capacity..];
            }

            var at = (int)(_total % Capacity);
            var first = Math.Min(data.Length, Capacity - at);
            data[..first].CopyTo(_ring.AsSpan(at));
            data[first..].CopyTo(_ring);
            _total += data.Length;
        }
    }

    /// <summary>What is kept, as text (a character cut by the start of the window is dropped), and whether older bytes were dropped.</summary>
    public (string Text, bool Truncated, long TotalBytes) Read()
    {
        byte[] bytes;
        long total;
        lock (_lock)
        {
            total = _total;
            if (total <= Capacity)
            {
                bytes = _ring.AsSpan(0, (int)total).ToArray();
            }
            else
            {
                var at = (int)(total % Capacity);
                bytes = [.. _ring.AsSpan(at), .. _ring.AsSpan(0, at)];
            }
        }

        var start = 0;
        if (total > Capacity)
        {
            while (start < bytes.Length && start < 3 && (bytes[start] & 0xC0) == 0x80)
            {
                start++; // continuation bytes of a character whose start fell out of the window
            }
        }

        return (Encoding.UTF8.GetString(bytes.AsSpan(start)), total > Capacity, total);
    }
}
