namespace Wafer.Runtime.Catalog;

/// <summary>Comparisons of absolute folder paths, on whole segments, and their real paths with symbolic links followed.</summary>
internal static class FolderPaths
{
    /// <summary>Symbolic links followed in one path at most, as the kernel's ELOOP limit.</summary>
    private const int MaxLinks = 40;

    private static readonly StringComparison Comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or below it (<c>/a</c> holds <c>/a/b</c>, not <c>/ab</c>).</summary>
    public static bool IsWithin(string path, string root)
    {
        path = Path.TrimEndingDirectorySeparator(path);
        root = Path.TrimEndingDirectorySeparator(root);
        return Same(path, root)
               || (path.StartsWith(root, Comparison)
                   && (path[root.Length] == Path.DirectorySeparatorChar || root.EndsWith(Path.DirectorySeparatorChar)));
    }

    public static bool Same(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(a), Path.TrimEndingDirectorySeparator(b), Comparison);

    /// <summary>
    /// The absolute path with every symbolic link along it replaced by what it leads to; parts that do not exist yet
    /// are kept as written. Throws <see cref="PluginLoadException"/> for a loop of links.
    /// </summary>
    public static string Real(string path)
    {
        var links = 0;
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var parts = new Queue<string>(full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries));
        var current = root;
        while (parts.TryDequeue(out var part))
        {
            var next = Path.Combine(current, part);
            var target = new DirectoryInfo(next).LinkTarget ?? (File.Exists(next) ? new FileInfo(next).LinkTarget : null);
            if (target is null)
            {
                current = next;
                continue;
            }

            if (++links > MaxLinks)
            {
                throw new FolderRefusedException($"files.path: '{path}' goes through more than {MaxLinks} symbolic links");
            }

            // Start again from the link's target, resolved against the folder holding the link, then the rest of the path.
            var resolved = Path.GetFullPath(Path.Combine(current, target));
            var rest = parts.ToArray();
            parts.Clear();
            root = Path.GetPathRoot(resolved)!;
            foreach (var p in resolved[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Concat(rest))
            {
                parts.Enqueue(p);
            }

            current = root;
        }

        return current;
    }
}
