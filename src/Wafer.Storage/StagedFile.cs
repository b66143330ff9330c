namespace Wafer.Storage;

/// <summary>
/// A file written and flushed under a temporary name beside its target (<see cref="DurableFiles.Stage"/>), waiting to
/// replace it. Disposing it before <see cref="Commit"/> deletes it.
/// </summary>
public sealed class StagedFile : IDisposable
{
    private bool _committed;

    internal StagedFile(string path, string temporaryPath)
    {
        Path = path;
        TemporaryPath = temporaryPath;
    }

    public string Path { get; }

    public string TemporaryPath { get; }

    /// <summary>Renames the file over its target and flushes the folder, so the new content survives a crash.</summary>
    public void Commit()
    {
        File.Move(TemporaryPath, Path, overwrite: true);
        _committed = true;
        DurableFiles.SyncFolder(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
    }

    public void Dispose()
    {
        if (!_committed)
        {
            DurableFiles.DeleteQuietly(TemporaryPath);
        }
    }
}
