namespace Wafer.Wasm.Wasi;

/// <summary>What one run of a WASI command module sees: nothing of the host unless it is listed here.</summary>
public sealed record CommandInput
{
    public const int DefaultOutputLimitBytes = 1024 * 1024;

    /// <summary>The full argument vector, <c>argv[0]</c> (the program name) included.</summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>The whole environment of the guest; the host's own environment is never passed.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Env { get; init; } = [];

    /// <summary>Bytes the guest reads from stdin; empty means stdin is at end of file at once.</summary>
    public ReadOnlyMemory<byte> Stdin { get; init; }

    /// <summary>A host folder preopened in the guest as <c>/data</c>; null means the guest sees no filesystem.</summary>
    public string? FolderPath { get; init; }

    /// <summary>Whether the guest may only read in <see cref="FolderPath"/>.</summary>
    public bool FolderReadOnly { get; init; }

    /// <summary>Files the host serves while the guest runs (a program module's channels), each at its own path.</summary>
    public IReadOnlyList<Channels.ICommandChannel> Channels { get; init; } = [];

    /// <summary>
    /// Told each piece of stdout as the guest writes it, on Wasmtime's output thread (it must not block); what is
    /// kept for the result is unchanged.
    /// </summary>
    public WasiOutputObserver? StdoutObserver { get; init; }

    /// <summary>Told each piece of stderr as the guest writes it, as <see cref="StdoutObserver"/>.</summary>
    public WasiOutputObserver? StderrObserver { get; init; }

    /// <summary>Bytes of stdout kept; the rest is counted and reported as truncated.</summary>
    public int StdoutLimitBytes { get; init; } = DefaultOutputLimitBytes;

    /// <summary>Bytes of stderr kept; the rest is counted and reported as truncated.</summary>
    public int StderrLimitBytes { get; init; } = DefaultOutputLimitBytes;
}
