using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wafer.Runtime.Hosting;

namespace Wafer.Runtime.Catalog;

/// <summary>
/// Keeps the catalog in step with the plugins folder: loads everything at start, then rescans on file events
/// (debounced) and on a poll. A version that fails to load is refused and the version being served stays.
/// A plugin refused only because another one holds its name or routes is retried whenever the catalog changes,
/// so it is served as soon as the other one goes away.
/// </summary>
internal sealed partial class PluginReloader(
    PluginCatalog catalog,
    PluginLoader loader,
    IOptions<RuntimeOptions> options,
    ILogger<PluginReloader> logger) : BackgroundService
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(150);

    private readonly SemaphoreSlim _scanLock = new(1, 1);
    private readonly Dictionary<string, string> _fingerprints = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _servedNameBySource = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PluginSourceStatus> _status = new(StringComparer.Ordinal);
    private readonly HashSet<string> _blocked = new(StringComparer.Ordinal);
    private long _blockedTriedAt;
    private bool _warnedEmpty;
    private readonly HashSet<string> _warnedIgnored = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _changed = new(0);

    public IReadOnlyCollection<PluginSourceStatus> Status => _status.Values.OrderBy(s => s.SourcePath, StringComparer.Ordinal).ToArray();

    /// <summary>Scans once at start-up so the first request already sees every plugin.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await ScanAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.NoReload)
        {
            ReloadDisabled(logger);
            return;
        }

        // A folder copied from S3 changes only when the copy is updated, which asks for a scan itself (S3PluginMirror):
        // neither file events nor polls of the copy, which would scan it half-updated.
        var fromS3 = settings.S3Plugins is not null;
        using var watcher = new FileSystemWatcher(settings.PluginsPath)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        FileSystemEventHandler onChange = (_, e) =>
        {
            if (!e.FullPath.Contains("node_modules", StringComparison.Ordinal))
            {
                _changed.Release();
            }
        };
        watcher.Changed += onChange;
        watcher.Created += onChange;
        watcher.Deleted += onChange;
        watcher.Renamed += (sender, e) => onChange(sender, e);
        watcher.Error += (_, e) => _changed.Release();
        watcher.EnableRaisingEvents = !fromS3;
        // A module placed or removed by the fleet can unblock a refused folder plugin too.
        Action<CatalogSnapshot> onCatalogChange = _ =>
        {
            if (_blocked.Count > 0)
            {
                _changed.Release();
            }
        };
        catalog.Changed += onCatalogChange;
        stoppingToken.Register(() => catalog.Changed -= onCatalogChange);

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await _changed.WaitAsync(fromS3 ? Timeout.InfiniteTimeSpan : settings.Refresh, stoppingToken))
                {
                    // Let a burst of events (a copy, a build) settle, then scan once for all of them.
                    await Task.Delay(Debounce, stoppingToken);
                    while (_changed.CurrentCount > 0)
                    {
                        await _changed.WaitAsync(stoppingToken);
                    }
                }

                await ScanAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                ScanFailed(logger, ex);
            }
        }
    }

    /// <summary>Rescans the plugins folder now; safe to call from anywhere.</summary>
    public async Task ScanAsync(CancellationToken cancellationToken = default)
    {
        await _scanLock.WaitAsync(cancellationToken);
        try
        {
            Scan();
        }
        finally
        {
            _scanLock.Release();
        }
    }

    private void Scan()
    {
        var folder = options.Value.PluginsPath;
        var candidates = PluginFolder.Scan(folder);
        // A folder with something in it that yields no plugin is a mistake worth saying once (an empty one is not).
        var yieldsNothing = candidates.Count == 0 && options.Value.S3Plugins is null
            && Directory.EnumerateFileSystemEntries(folder).Any(e => !Path.GetFileName(e).StartsWith('.'));
        if (yieldsNothing != _warnedEmpty)
        {
            _warnedEmpty = yieldsNothing;
            if (yieldsNothing)
            {
                NoPlugins(logger, folder);
            }
        }

        // a sub-folder of bare .wasm files is skipped; say so once while it stays that way
        var ignored = options.Value.S3Plugins is null ? PluginFolder.IgnoredFolders(folder) : [];
        _warnedIgnored.IntersectWith(ignored);
        foreach (var skipped in ignored.Where(_warnedIgnored.Add))
        {
            FolderIgnored(logger, skipped);
        }

        var present = candidates.Select(c => c.SourcePath).ToHashSet(StringComparer.Ordinal);

        foreach (var gone in _fingerprints.Keys.Where(k => !present.Contains(k)).ToArray())
        {
            _fingerprints.Remove(gone);
            _status.TryRemove(gone, out _);
            _blocked.Remove(gone);
            if (_servedNameBySource.Remove(gone, out var name) && catalog.Remove(name, PluginOwner.Folder))
            {
                PluginRemoved(logger, name, gone);
            }
        }

        var changed = new List<PluginCandidate>();
        foreach (var candidate in candidates)
        {
            if (_fingerprints.TryGetValue(candidate.SourcePath, out var seen) && seen == candidate.Fingerprint)
            {
                continue;
            }

            _fingerprints[candidate.SourcePath] = candidate.Fingerprint;
            changed.Add(candidate);
        }

        TryLoad(changed);
        RetryBlocked(candidates);
    }

    /// <summary>Tries the conflict-refused sources again when the catalog changed since they were last tried.</summary>
    private void RetryBlocked(IReadOnlyList<PluginCandidate> candidates)
    {
        // Each success changes the catalog version, so loop until a round makes no progress.
        while (_blocked.Count > 0 && catalog.Current.Version != _blockedTriedAt)
        {
            _blockedTriedAt = catalog.Current.Version;
            TryLoad(candidates.Where(c => _blocked.Contains(c.SourcePath)).ToArray());
        }
    }

    /// <summary>
    /// Loads each candidate, then publishes every version that loaded in one catalog update (<see cref="PluginCatalog.UpsertAll"/>):
    /// a folder of many plugins costs one snapshot, not one per plugin, and readers see the scan's changes together.
    /// </summary>
    private void TryLoad(IReadOnlyList<PluginCandidate> candidates)
    {
        // Reading and compiling (or reading from the cache) take most of a start; they touch no catalog state, so
        // they run side by side. The catalog takes the results in the folder's order, which decides name conflicts.
        var attempts = LoadAll(candidates);
        var ready = new List<(PluginCandidate Candidate, LoadedPlugin Plugin, LoadedPlugin? Current)>();
        var claimed = new Dictionary<string, string>(StringComparer.Ordinal); // names taken by this batch, by source
        try
        {
            for (var i = 0; i < candidates.Count; i++)
            {
                var candidate = candidates[i];
                if (Prepare(candidate, attempts[i], claimed) is { } plugin)
                {
                    claimed[plugin.Name] = candidate.SourcePath;
                    ready.Add((candidate, plugin, catalog.Current.PluginsByName.GetValueOrDefault(plugin.Name)));
                }
            }
        }
        finally
        {
            Publish(ready); // what loaded before an unexpected failure is served, as it was when each was published at once
        }
    }

    private void Publish(List<(PluginCandidate Candidate, LoadedPlugin Plugin, LoadedPlugin? Current)> ready)
    {
        if (ready.Count == 0)
        {
            return;
        }

        var refused = catalog.UpsertAll(ready.Select(r => r.Plugin).ToArray()).ToDictionary(r => r.Plugin, r => r.Reason);
        foreach (var (candidate, plugin, current) in ready)
        {
            if (refused.TryGetValue(plugin, out var reason))
            {
                var serving = current is null ? "nothing" : "the previous version of " + current.Name;
                PluginRefused(logger, candidate.SourcePath, reason.Message, serving);
                _status[candidate.SourcePath] = new PluginSourceStatus(candidate.SourcePath, current?.Name, PluginSourceStatus.Refused, reason.Message, DateTimeOffset.UtcNow);
                _blocked.Add(candidate.SourcePath); // the catalog refuses only conflicts with other plugins (their names or routes)
                plugin.Retire();
                continue;
            }

            PluginLoaded(logger, plugin.Name, plugin.Hash[..12], plugin.Metadata.Functions.Count, candidate.SourcePath,
                plugin.LoadedFromCache ? "cache" : "compiled", plugin.LoadTime.TotalMilliseconds);
            Served(candidate, plugin);
        }
    }

    private LoadAttempt[] LoadAll(IReadOnlyList<PluginCandidate> candidates)
    {
        var attempts = new LoadAttempt[candidates.Count];
        if (candidates.Count == 1)
        {
            attempts[0] = Attempt(candidates[0]);
            return attempts;
        }

        Parallel.For(0, candidates.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            i => attempts[i] = Attempt(candidates[i]));
        return attempts;
    }

    private LoadAttempt Attempt(PluginCandidate candidate)
    {
        try
        {
            return new LoadAttempt(loader.Load(candidate), null);
        }
        catch (Exception ex)
        {
            return new LoadAttempt(null, ExceptionDispatchInfo.Capture(ex));
        }
    }

    /// <summary>A loaded plugin, or why not: a refusal (<see cref="PluginLoadException"/>) or an unexpected failure.</summary>
    private readonly record struct LoadAttempt(LoadedPlugin? Plugin, ExceptionDispatchInfo? Failure);

    /// <summary>
    /// Takes one candidate's load: the version to publish, or null when it was refused (status and log written), held
    /// back by a name another source serves or <paramref name="claimed"/> by an earlier candidate of this batch, or unchanged.
    /// </summary>
    private LoadedPlugin? Prepare(PluginCandidate candidate, LoadAttempt attempt, Dictionary<string, string> claimed)
    {
        _blocked.Remove(candidate.SourcePath);
        if (attempt.Plugin is not { } plugin)
        {
            if (attempt.Failure!.SourceException is not PluginLoadException ex)
            {
                attempt.Failure.Throw(); // the scan fails as when loading one at a time
                return null;
            }

            var serving = _servedNameBySource.GetValueOrDefault(candidate.SourcePath);
            PluginRefused(logger, candidate.SourcePath, ex.Message, serving is null ? "nothing" : "the previous version of " + serving);
            _status[candidate.SourcePath] = new PluginSourceStatus(candidate.SourcePath, serving, PluginSourceStatus.Refused, ex.Message, DateTimeOffset.UtcNow);
            return null;
        }

        var owner = claimed.GetValueOrDefault(plugin.Name)
            ?? _servedNameBySource.FirstOrDefault(kv => kv.Value == plugin.Name && kv.Key != candidate.SourcePath).Key;
        if (owner is not null)
        {
            var message = $"plugin name '{plugin.Name}' is already served from {owner}";
            PluginRefused(logger, candidate.SourcePath, message, "nothing");
            _status[candidate.SourcePath] = new PluginSourceStatus(candidate.SourcePath, null, PluginSourceStatus.Refused, message, DateTimeOffset.UtcNow);
            _blocked.Add(candidate.SourcePath);
            plugin.Retire();
            return null;
        }

        if (_servedNameBySource.TryGetValue(candidate.SourcePath, out var previousName) && previousName != plugin.Name)
        {
            catalog.Remove(previousName, PluginOwner.Folder);
        }

        var current = catalog.Current.PluginsByName.GetValueOrDefault(plugin.Name);
        if (current is not null && current.Owner == PluginOwner.Folder && current.Hash == plugin.Hash && current.Manifest == plugin.Manifest)
        {
            plugin.Retire(); // touched but unchanged
            Served(candidate, plugin);
            return null;
        }

        return plugin;
    }

    private void Served(PluginCandidate candidate, LoadedPlugin plugin)
    {
        _servedNameBySource[candidate.SourcePath] = plugin.Name;
        _status[candidate.SourcePath] = new PluginSourceStatus(candidate.SourcePath, plugin.Name, PluginSourceStatus.Loaded, null, DateTimeOffset.UtcNow);
    }

    public override void Dispose()
    {
        _scanLock.Dispose();
        _changed.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 2200, EventName = "PluginLoaded", Level = LogLevel.Information,
        Message = "Loaded plugin {Plugin} ({Hash}, {FunctionCount} functions) from {Source}, {Origin} in {Milliseconds:F1} ms")]
    private static partial void PluginLoaded(ILogger logger, string plugin, string hash, int functionCount, string source, string origin, double milliseconds);

    [LoggerMessage(EventId = 2201, EventName = "PluginRefused", Level = LogLevel.Error,
        Message = "Refused plugin at {Source}: {Reason}. Still serving {Serving}")]
    private static partial void PluginRefused(ILogger logger, string source, string reason, string serving);

    [LoggerMessage(EventId = 2202, EventName = "PluginRemoved", Level = LogLevel.Information,
        Message = "Removed plugin {Plugin}: {Source} is gone")]
    private static partial void PluginRemoved(ILogger logger, string plugin, string source);

    [LoggerMessage(EventId = 2203, EventName = "ReloadDisabled", Level = LogLevel.Information,
        Message = "Hot reload is off (--noreload)")]
    private static partial void ReloadDisabled(ILogger logger);

    [LoggerMessage(EventId = 2205, EventName = "NoPluginsInFolder", Level = LogLevel.Warning,
        Message = "{Folder} holds no plugin: a plugins folder holds NAME.wasm files (with NAME.wafer.json or NAME.modus.json beside them), plugin project folders with a wafer.json, or Modus app folders with a modus.json; or it is one plugin project itself (with its wafer.json). Watching it for plugins")]
    private static partial void NoPlugins(ILogger logger, string folder);

    [LoggerMessage(EventId = 2206, EventName = "FolderIgnored", Level = LogLevel.Warning,
        Message = "{Folder} is ignored: it holds .wasm files but no wafer.json (a plugin project) or modus.json (a Modus app), and sub-folders are not searched for modules. Put NAME.wasm (with NAME.wafer.json) in the plugins folder itself, or give the folder a wafer.json")]
    private static partial void FolderIgnored(ILogger logger, string folder);

    [LoggerMessage(EventId = 2204, EventName = "PluginScanFailed", Level = LogLevel.Error,
        Message = "Scanning the plugins folder failed")]
    private static partial void ScanFailed(ILogger logger, Exception exception);
}
