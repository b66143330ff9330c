namespace Wafer.Protocol.Manifest;

/// <summary>Per-call limits of a plugin; each bounded so no manifest can disable protection.</summary>
public sealed record PluginLimits
{
    public const int DefaultTimeoutMs = 10_000;
    public const int MaxTimeoutMs = 600_000;
    public const int DefaultMemoryMb = 64;
    public const int MaxMemoryMb = 4_000;

    public static readonly PluginLimits Default = new();

    /// <summary>Wall-clock limit of one call.</summary>
    public int TimeoutMs { get; init; } = DefaultTimeoutMs;

    /// <summary>Cap on the guest's linear memory.</summary>
    public int MemoryMb { get; init; } = DefaultMemoryMb;

    /// <summary>Instruction fuel per call; null means unmetered.</summary>
    public long? Fuel { get; init; }

    public long MemoryBytes => (long)MemoryMb * 1024 * 1024;
}
