using System.Threading.Channels;
using Wafer.Protocol.Manifest;

namespace Wafer.Cli.Building;

/// <summary>
/// Watches plugin project sources under a folder and reports, debounced, which projects changed. Build output,
/// <c>node_modules</c> and dot-folders are ignored, so a rebuild does not trigger itself.
/// </summary>
public sealed class ProjectWatcher : IDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(300);

    private readonly string _root;
    private readonly FileSystemWatcher _watcher;
    private readonly Channel<string> _changes = Channel.CreateUnbounded<string>();

    public ProjectWatcher(string root)
    {
        _root = Path.GetFullPath(root);
        _watcher = new FileSystemWatcher(_root)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        _watcher.Changed += OnChange;
        _watcher.Created += OnChange;
        _watcher.Deleted += OnChange;
        _watcher.Renamed += (sender, e) => OnChange(sender, e);
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>Waits for a change, lets the burst settle, and returns every project touched by it.</summary>
    public async Task<IReadOnlyCollection<string>> NextAsync(CancellationToken cancellationToken)
    {
        var projects = new SortedSet<string>(StringComparer.Ordinal) { await _changes.Reader.ReadAsync(cancellationToken) };
        await Task.Delay(Debounce, cancellationToken);
        while (_changes.Reader.TryRead(out var more))
        {
            projects.Add(more);
        }

        return projects;
    }

    /// <summary>The project folder a source path belongs to, or null for paths no build reads.</summary>
    public static string? ProjectOf(string root, string path)
    {
        var relative = Path.GetRelativePath(root, path);
        var segments = relative.Split(Path.DirectorySeparatorChar);
        if (relative.StartsWith("..", StringComparison.Ordinal) || segments.Any(s => s is "build" or "node_modules" || s.StartsWith('.')))
        {
            return null;
        }

        for (var directory = Path.GetDirectoryName(path); directory is not null && directory.Length >= root.Length; directory = Path.GetDirectoryName(directory))
        {
            if (File.Exists(Path.Combine(directory, PluginManifest.FileName)))
            {
                return directory;
            }
        }

        return null;
    }

    private void OnChange(object sender, FileSystemEventArgs e)
    {
        if (ProjectOf(_root, e.FullPath) is { } project)
        {
            _changes.Writer.TryWrite(project);
        }
    }

    public void Dispose() => _watcher.Dispose();
}
