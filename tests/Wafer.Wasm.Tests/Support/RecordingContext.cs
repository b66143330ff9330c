namespace Wafer.Wasm.Tests.Support;

/// <summary>A call context that remembers what the guest logged.</summary>
internal sealed class RecordingContext : IGuestCallContext
{
    private readonly List<(GuestLogLevel Level, string Message)> _lines = [];

    public static RecordingContext None => new();

    public IReadOnlyList<(GuestLogLevel Level, string Message)> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public void Log(GuestLogLevel level, string message)
    {
        lock (_lines)
        {
            _lines.Add((level, message));
        }
    }
}
