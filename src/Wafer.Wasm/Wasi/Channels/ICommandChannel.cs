namespace Wafer.Wasm.Wasi.Channels;

/// <summary>
/// A file in a command run's view that the host serves (a program module's channel): the guest opens
/// <see cref="Path"/> as an ordinary file, its reads come from <see cref="Read"/> and its writes go to
/// <see cref="Write"/>. The file cannot be seeked.
/// </summary>
public interface ICommandChannel
{
    /// <summary>The absolute path the guest opens, such as <c>/ch/in</c>.</summary>
    string Path { get; }

    /// <summary>Whether the guest may open the file for reading.</summary>
    bool Readable { get; }

    /// <summary>Whether the guest may open the file for writing.</summary>
    bool Writable { get; }

    /// <summary>
    /// Fills <paramref name="buffer"/> with the next bytes, waiting until there are some; 0 is the end of the file
    /// (the guest sees end of file). Throws <see cref="OperationCanceledException"/> when <paramref name="stop"/>
    /// (the run's deadline or cancellation) fires first.
    /// </summary>
    int Read(Span<byte> buffer, CancellationToken stop);

    /// <summary>Takes bytes the guest wrote; must not block for long (the guest waits).</summary>
    void Write(ReadOnlySpan<byte> data);
}
