namespace Wafer.Runtime.Programs.Channels;

/// <summary>The channels of one run of a module, bound to their topics until disposed (then reads end and what is left of a written line is sent).</summary>
public sealed class BoundChannels(IReadOnlyList<ModuleChannel> channels, Action<IReadOnlyList<ModuleChannel>> unbind) : IDisposable
{
    private int _disposed;

    public IReadOnlyList<ModuleChannel> Channels => channels;

    /// <summary>Ends the reads (end of file) without unbinding: the module is being stopped.</summary>
    public void EndReads()
    {
        foreach (var channel in channels)
        {
            channel.End();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            unbind(channels);
        }
    }
}
