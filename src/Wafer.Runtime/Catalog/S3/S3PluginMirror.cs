using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wafer.Runtime.Hosting;
using Wafer.Storage.S3;

namespace Wafer.Runtime.Catalog.S3;

/// <summary>
/// Keeps the plugins folder a copy of a bucket's folder, so the catalog's one reload path serves S3 as it serves a
/// folder (a bad version refused while the good one serves, in-flight calls finishing on their version). Each poll
/// reads every page of the listing, fetches the objects whose ETag changed, deletes the copies of objects that are
/// gone, and then asks the reloader for one scan. Nothing is deleted unless a whole listing was read: while S3 is
/// unreachable, what is loaded keeps serving, and that is logged once per outage.
/// </summary>
internal sealed partial class S3PluginMirror(
    IOptions<RuntimeOptions> options,
    PluginReloader reloader,
    TimeProvider time,
    ILogger<S3PluginMirror> logger) : BackgroundService
{
    /// <summary>Where objects are written before they are moved into place; hidden, so the folder scan skips it.</summary>
    public const string IncomingFolder = ".incoming";

    private readonly Dictionary<string, string> _etags = new(StringComparer.Ordinal); // relative path → ETag of the copy on disk
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);
    private AmazonS3Client? _client;
    private DateTimeOffset? _unreachableSince;
    private long _syncs;
    private long _polls;

    /// <summary>Whole listings read and applied since start.</summary>
    public long Syncs => Interlocked.Read(ref _syncs);

    /// <summary>Attempts to read the bucket since start, failed ones included.</summary>
    public long Polls => Interlocked.Read(ref _polls);

    /// <summary>True while the last attempt to reach S3 failed.</summary>
    public bool Unreachable => _unreachableSince is not null;

    /// <summary>Mirrors the bucket once before the reloader's first scan, so the first request sees every plugin.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.S3Plugins is { } s3)
        {
            _client = S3Clients.Create(s3.RequestTimeout);
            Directory.CreateDirectory(options.Value.PluginsPath);
            Starting(logger, s3.Location.ToString(), options.Value.PluginsPath, S3Clients.Endpoint() ?? "AWS",
                options.Value.NoReload ? "never (--noreload)" : $"every {options.Value.Refresh.TotalSeconds:0.###}s");
            await SyncAsync(s3, scan: false, cancellationToken);
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.S3Plugins is not { } s3 || options.Value.NoReload)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.Refresh, time, stoppingToken);
                await SyncAsync(s3, scan: true, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                SyncFailed(logger, ex);
            }
        }
    }

    private async Task SyncAsync(S3PluginOptions s3, bool scan, CancellationToken cancellationToken)
    {
        var changed = 0;
        Interlocked.Increment(ref _polls);
        try
        {
            var listing = await ListAsync(s3, cancellationToken);
            foreach (var (relative, item) in listing)
            {
                if (_etags.TryGetValue(relative, out var etag) && etag == item.ETag && File.Exists(LocalPath(relative)))
                {
                    continue;
                }

                if (await FetchAsync(s3, relative, item, cancellationToken))
                {
                    changed++;
                }
            }

            changed += RemoveGone(listing);
            Interlocked.Increment(ref _syncs);
            if (_unreachableSince is { } since)
            {
                _unreachableSince = null;
                Reachable(logger, s3.Location.ToString(), (time.GetUtcNow() - since).TotalSeconds);
            }

            if (changed > 0)
            {
                Mirrored(logger, s3.Location.ToString(), changed, listing.Count);
            }
        }
        catch (Exception ex) when (IsUnavailable(ex, cancellationToken))
        {
            if (_unreachableSince is null)
            {
                _unreachableSince = time.GetUtcNow();
                Unavailable(logger, s3.Location.ToString(), Reason(ex), options.Value.Refresh.TotalSeconds);
            }
        }

        if (scan && changed > 0)
        {
            await reloader.ScanAsync(cancellationToken);
        }
    }

    /// <summary>Every object of the folder a plugins folder reads, by its path in the mirror: all pages.</summary>
    private async Task<Dictionary<string, S3Object>> ListAsync(S3PluginOptions s3, CancellationToken cancellationToken)
    {
        var objects = new Dictionary<string, S3Object>(StringComparer.Ordinal);
        var request = new ListObjectsV2Request { BucketName = s3.Location.Bucket, Prefix = s3.Location.Prefix, MaxKeys = s3.PageSize };
        ListObjectsV2Response page;
        do
        {
            page = await _client!.ListObjectsV2Async(request, cancellationToken);
            foreach (var item in page.S3Objects ?? [])
            {
                if (S3ObjectPaths.RelativePath(item.Key, s3.Location.Prefix) is { } relative)
                {
                    objects[relative] = item;
                }
                else if ((item.Key.EndsWith(".wasm", StringComparison.Ordinal) || item.Key.EndsWith(".json", StringComparison.Ordinal)) && _warned.Add(item.Key))
                {
                    Skipped(logger, item.Key, $"its key is not a path inside the folder (segments starting with '.', special characters, or deeper than {S3ObjectPaths.MaxDepth} folders)");
                }
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true && !string.IsNullOrEmpty(page.NextContinuationToken));

        return objects;
    }

    /// <summary>Copies one object into place (written aside, then moved); false when it was skipped or vanished.</summary>
    private async Task<bool> FetchAsync(S3PluginOptions s3, string relative, S3Object item, CancellationToken cancellationToken)
    {
        var limit = S3ObjectPaths.IsWasm(relative) ? options.Value.ModuleLimits.MaxBytes : s3.MaxManifestBytes;
        if (item.Size > limit)
        {
            if (_warned.Add(item.Key + "|" + item.ETag))
            {
                Skipped(logger, item.Key, $"{item.Size} bytes, over the limit of {limit} ({(S3ObjectPaths.IsWasm(relative) ? "--maxModuleBytes" : "manifests")})");
            }

            return false;
        }

        GetObjectResponse response;
        try
        {
            response = await _client!.GetObjectAsync(s3.Location.Bucket, item.Key, cancellationToken);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false; // deleted since the listing: the next poll removes the copy
        }

        using (response)
        {
            var incoming = Path.Combine(options.Value.PluginsPath, IncomingFolder);
            Directory.CreateDirectory(incoming);
            var temporary = Path.Combine(incoming, Guid.NewGuid().ToString("N") + ".part");
            try
            {
                await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
                {
                    try
                    {
                        await CopyBoundedAsync(response.ResponseStream, file, limit, cancellationToken);
                    }
                    catch (InvalidDataException ex)
                    {
                        if (_warned.Add(item.Key + "|" + item.ETag))
                        {
                            Skipped(logger, item.Key, ex.Message);
                        }

                        return false;
                    }

                    await file.FlushAsync(cancellationToken);
                }

                var local = LocalPath(relative);
                Directory.CreateDirectory(Path.GetDirectoryName(local)!);
                File.Move(temporary, local, overwrite: true);
            }
            finally
            {
                File.Delete(temporary);
            }

            _etags[relative] = response.ETag ?? item.ETag;
            return true;
        }
    }

    /// <summary>Deletes the copies of objects the listing no longer has (copies from an earlier run included).</summary>
    private int RemoveGone(Dictionary<string, S3Object> listing)
    {
        var removed = 0;
        var root = options.Value.PluginsPath;
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
            if (relative.StartsWith(IncomingFolder + "/", StringComparison.Ordinal) || listing.ContainsKey(relative))
            {
                continue;
            }

            File.Delete(file);
            _etags.Remove(relative);
            removed++;
        }

        return removed;
    }

    private static async Task CopyBoundedAsync(Stream source, Stream target, long limit, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > limit)
            {
                throw new InvalidDataException($"{total} bytes or more, over the limit of {limit}, although the listing said less");
            }

            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
    }

    private string LocalPath(string relative) => Path.Combine(options.Value.PluginsPath, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Failures that say S3 cannot be used now (network, timeouts, server errors, refused access); not cancellation of the service.</summary>
    private static bool IsUnavailable(Exception ex, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested
        && ex is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or SocketException or TimeoutException or OperationCanceledException;

    private static string Reason(Exception ex) => ex switch
    {
        AmazonS3Exception s3 when !string.IsNullOrEmpty(s3.ErrorCode) => $"{s3.ErrorCode}: {s3.Message}",
        _ when ex.InnerException is { } inner && !ex.Message.Contains(inner.Message, StringComparison.Ordinal) => $"{ex.Message} ({inner.Message})",
        _ => ex.Message,
    };

    public override void Dispose()
    {
        _client?.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 2250, EventName = "S3PluginsStarting", Level = LogLevel.Information,
        Message = "Serving plugins from {Location} (endpoint {Endpoint}), copied into {Folder}; polled {Refresh}")]
    private static partial void Starting(ILogger logger, string location, string folder, string endpoint, string refresh);

    [LoggerMessage(EventId = 2251, EventName = "S3PluginsMirrored", Level = LogLevel.Information,
        Message = "Plugins from {Location}: {Changed} objects fetched or removed; {Objects} objects in the folder")]
    private static partial void Mirrored(ILogger logger, string location, int changed, int objects);

    [LoggerMessage(EventId = 2252, EventName = "S3Unreachable", Level = LogLevel.Warning,
        Message = "Cannot read plugins from {Location}: {Reason}. The plugins loaded keep serving; trying again every {Seconds:0.###}s (logged once until it recovers)")]
    private static partial void Unavailable(ILogger logger, string location, string reason, double seconds);

    [LoggerMessage(EventId = 2253, EventName = "S3Reachable", Level = LogLevel.Information,
        Message = "Plugins from {Location} can be read again after {Seconds:0.#}s")]
    private static partial void Reachable(ILogger logger, string location, double seconds);

    [LoggerMessage(EventId = 2254, EventName = "S3ObjectSkipped", Level = LogLevel.Warning,
        Message = "Skipped object {Key}: {Reason}")]
    private static partial void Skipped(ILogger logger, string key, string reason);

    [LoggerMessage(EventId = 2255, EventName = "S3SyncFailed", Level = LogLevel.Error,
        Message = "Copying plugins from S3 failed")]
    private static partial void SyncFailed(ILogger logger, Exception exception);
}
