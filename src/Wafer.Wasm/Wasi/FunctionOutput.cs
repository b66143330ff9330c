using System.Text;

namespace Wafer.Wasm.Wasi;

/// <summary>
/// What a function plugin that imports WASI writes to stdout and stderr during one call (printf debugging, a Rust
/// panic message): kept up to a cap and handed to the call's log when the call ends, one entry per line,
/// stdout at info level and stderr at warning level, each line cut to <paramref name="lineBytes"/>.
/// </summary>
internal sealed class FunctionOutput(int lineBytes)
{
    private const int LimitBytes = 64 * 1024;

    public OutputCapture Stdout { get; } = new(LimitBytes);

    public OutputCapture Stderr { get; } = new(LimitBytes);

    /// <summary>Delivers and clears what the guest wrote since the last flush.</summary>
    public void Flush(IGuestCallContext? context)
    {
        var stdoutTruncated = Stdout.Truncated;
        var stderrTruncated = Stderr.Truncated;
        var stdout = Stdout.Drain();
        var stderr = Stderr.Drain();
        if (context is null)
        {
            return;
        }

        Deliver(context, GuestLogLevel.Info, stdout, stdoutTruncated);
        Deliver(context, GuestLogLevel.Warning, stderr, stderrTruncated);
    }

    private void Deliver(IGuestCallContext context, GuestLogLevel level, byte[] bytes, bool truncated)
    {
        if (bytes.Length == 0)
        {
            return;
        }

        var text = Encoding.UTF8.GetString(bytes);
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.TrimEnd('\r');
            if (trimmed.Length == 0)
            {
                continue;
            }

            if (context.AcceptsLog)
            {
                TryLog(context, level, GuestText.Cut(trimmed, lineBytes));
            }
            else
            {
                context.LogDropped(Encoding.UTF8.GetByteCount(trimmed));
            }
        }

        if (truncated && context.AcceptsLog)
        {
            TryLog(context, GuestLogLevel.Warning, $"(output beyond {LimitBytes} bytes in this call was dropped)");
        }
    }

    /// <summary>Runs after the call, possibly while a failure unwinds: a sink that throws must not mask it.</summary>
    private static void TryLog(IGuestCallContext context, GuestLogLevel level, string line)
    {
        try
        {
            context.Log(level, line);
        }
        catch (Exception)
        {
            // The line is lost; the call's own outcome matters more.
        }
    }
}
