namespace Wafer.Runtime.Handlers;

/// <summary>Settings of HTTP handlers (manifest <c>routes</c>).</summary>
public sealed class HandlerOptions
{
    /// <summary>Largest response (headers and body) a handler may write to stdout; more is a 502.</summary>
    public int MaxResponseBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Bytes of a handler's stderr kept per request and written to the guest log, one entry per line.</summary>
    public int StderrLimitBytes { get; set; } = 64 * 1024;
}
