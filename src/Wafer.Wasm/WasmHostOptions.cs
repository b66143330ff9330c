using Wafer.Protocol.Manifest;

namespace Wafer.Wasm;

/// <summary>Settings of the WebAssembly engine. Defaults suit a single runtime process.</summary>
public sealed class WasmHostOptions
{
    /// <summary>Where compiled modules are cached; default <c>~/.wafer/cache</c>.</summary>
    public string CacheDirectory { get; set; } = Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".wafer", "cache");

    /// <summary>Period of the epoch clock that enforces timeouts; a timeout fires within one tick of its limit.</summary>
    public int EpochTickMs { get; set; } = 5;

    /// <summary>
    /// Instances that may exist at once per engine (pooling allocator slots: each reserves address space for one
    /// linear memory). Calls beyond it fail as out of memory. Idle reusable instances hold slots too.
    /// </summary>
    public int PoolTotalInstances { get; set; } = 1000;

    /// <summary>Largest linear memory a pool slot can hold; plugin caps above it are clamped to it.</summary>
    public long PoolMaxMemoryBytes { get; set; } = (long)PluginLimits.MaxMemoryMb * 1024 * 1024;

    /// <summary>Bytes of a freed slot's memory that are zeroed and kept resident instead of returned to the OS.</summary>
    public long PoolKeepResidentBytes { get; set; } = 1024 * 1024;

    /// <summary>Idle instances kept per module when the plugin sets <c>reuseInstances</c>.</summary>
    public int MaxIdleInstancesPerModule { get; set; } = 16;

    /// <summary>What a module may hold to be loaded at all (size, functions, imports, exports, metadata).</summary>
    public ModuleLimits ModuleLimits { get; set; } = ModuleLimits.Default;

    /// <summary>Bytes of one line a guest logs (<c>wafer.log</c>, <c>env.trace</c>, WASI output); the rest is cut with a marker.</summary>
    public int MaxLogLineBytes { get; set; } = 16 * 1024;

    /// <summary>
    /// Bytes of a guest's error or abort message (<c>wafer.result</c> on a guest error, <c>wafer.abort</c>, <c>env.abort</c>);
    /// the rest is cut with a marker before it reaches a response or a log.
    /// </summary>
    public int MaxMessageBytes { get; set; } = 16 * 1024;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(CacheDirectory))
        {
            throw new ArgumentOutOfRangeException(nameof(CacheDirectory), "Wasm:CacheDirectory must be set");
        }

        Check(EpochTickMs is >= 1 and <= 1000, nameof(EpochTickMs), "between 1 and 1000");
        Check(PoolTotalInstances is >= 1 and <= 100_000, nameof(PoolTotalInstances), "between 1 and 100000");
        Check(PoolMaxMemoryBytes >= 65536, nameof(PoolMaxMemoryBytes), "at least one page (65536)");
        Check(PoolKeepResidentBytes >= 0, nameof(PoolKeepResidentBytes), "non-negative");
        Check(MaxIdleInstancesPerModule >= 0, nameof(MaxIdleInstancesPerModule), "non-negative");
        if (ModuleLimits.Validate() is [var first, ..])
        {
            throw new ArgumentOutOfRangeException(nameof(ModuleLimits), first);
        }

        Check(MaxLogLineBytes is >= 256 and <= 1024 * 1024, nameof(MaxLogLineBytes), "between 256 and 1048576");
        Check(MaxMessageBytes is >= 256 and <= 16 * 1024 * 1024, nameof(MaxMessageBytes), "between 256 and 16777216");
    }

    private static void Check(bool ok, string name, string rule)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, $"Wasm:{name} must be {rule}");
        }
    }
}
