namespace Wafer.Runtime.Handlers;

/// <summary>Settings of HTTP handlers (manifest <c>routes</c>).</summary>
public sealed class HandlerOptions
{
    /// <summary>Largest response (headers and body) a handler may write to stdout; more is a 502.</summary>
    public int MaxResponseBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Bytes of a handler's stderr kept per request and written to the guest log, one entry per line.</summary>
    public int StderrLimitBytes { get; set; } = 64 * 1024;

    /// <summary>Problems with these settings, each naming the setting and its flag; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxResponseBytes is < 1024 or > 1024 * 1024 * 1024)
        {
            errors.Add($"Handlers:MaxResponseBytes (--handlerMaxResponseBytes) must be between 1024 and 1073741824, got {MaxResponseBytes}");
        }

        if (StderrLimitBytes is < 0 or > 64 * 1024 * 1024)
        {
            errors.Add($"Handlers:StderrLimitBytes (--handlerStderrBytes) must be between 0 and 67108864, got {StderrLimitBytes}");
        }

        return errors;
    }
}
