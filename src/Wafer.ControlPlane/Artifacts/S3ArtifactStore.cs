using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Wafer.Storage.Artifacts;
using S3Location = Wafer.Storage.S3.S3Location;

namespace Wafer.ControlPlane.Artifacts;

/// <summary>
/// The artifact store in an S3 bucket (<c>--artifacts s3://BUCKET/PREFIX</c>), so several orchestrators share one:
/// <c>PREFIX/ab/abcd….wasm</c> per hash. An object appears only once S3 has all of it (one PUT, checked against its
/// MD5 by S3), so a failed or cut upload never becomes visible. Artifacts this orchestrator stored or read are kept in
/// a local folder as well (<paramref name="cacheFolder"/>), verified by hash, so runtimes' downloads and metadata reads
/// do not go to S3 each time.
/// </summary>
internal sealed class S3ArtifactStore(IAmazonS3 client, S3Location location, string cacheFolder, long maxBytes) : IArtifactStore, IDisposable
{
    private readonly ContentAddressedFiles _cache = new(cacheFolder);

    public string Location => location.ToString();

    public async Task<string> PutAsync(ReadOnlyMemory<byte> wasm, CancellationToken cancellationToken = default)
    {
        var hash = ContentHash.Of(wasm.Span);
        if (!await ExistsRemoteAsync(hash, cancellationToken))
        {
            await Call("store", hash, async () =>
            {
                using var body = new MemoryStream(wasm.ToArray(), writable: false);
                await client.PutObjectAsync(new PutObjectRequest
                {
                    BucketName = location.Bucket,
                    Key = KeyOf(hash),
                    InputStream = body,
                    ContentType = "application/wasm",
                    MD5Digest = Convert.ToBase64String(MD5.HashData(wasm.Span)), // S3 refuses a body that arrived damaged
                    UseChunkEncoding = false, // S3-compatible servers (s3rver) do not all read chunked uploads
                }, cancellationToken);
                return true;
            }, cancellationToken);
        }

        KeepLocally(wasm);
        return hash;
    }

    public async Task<Stream?> OpenAsync(string hash, CancellationToken cancellationToken = default)
    {
        if (!ContentHash.IsValid(hash))
        {
            return null;
        }

        if (_cache.OpenRead(hash) is { } cached)
        {
            return cached;
        }

        var bytes = await Call("read", hash, async () =>
        {
            try
            {
                using var response = await client.GetObjectAsync(location.Bucket, KeyOf(hash), cancellationToken);
                if (response.ContentLength > maxBytes)
                {
                    throw new ArtifactStoreException(
                        $"artifact {hash} in {Location} is {response.ContentLength} bytes, over the limit of {maxBytes}", ArtifactStoreFault.Failed);
                }

                using var buffer = new MemoryStream();
                await response.ResponseStream.CopyToAsync(buffer, cancellationToken);
                return buffer.ToArray();
            }
            catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        }, cancellationToken);
        if (bytes is null)
        {
            return null;
        }

        if (ContentHash.Of(bytes) != hash)
        {
            throw new ArtifactStoreException($"object {KeyOf(hash)} in bucket {location.Bucket} does not hash to its name: it was changed outside Wafer", ArtifactStoreFault.Failed);
        }

        KeepLocally(bytes);
        return new MemoryStream(bytes, writable: false);
    }

    public async Task<bool> ExistsAsync(string hash, CancellationToken cancellationToken = default) =>
        ContentHash.IsValid(hash) && (_cache.Exists(hash) || await ExistsRemoteAsync(hash, cancellationToken));

    public async Task<bool> DeleteAsync(string hash, CancellationToken cancellationToken = default)
    {
        if (!ContentHash.IsValid(hash))
        {
            return false;
        }

        var existed = await ExistsRemoteAsync(hash, cancellationToken);
        await Call("delete", hash, async () => await client.DeleteObjectAsync(location.Bucket, KeyOf(hash), cancellationToken), cancellationToken);
        _cache.Delete(hash);
        return existed;
    }

    public async IAsyncEnumerable<string> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = new ListObjectsV2Request { BucketName = location.Bucket, Prefix = location.Prefix };
        while (true)
        {
            var page = await Call("list", null, () => client.ListObjectsV2Async(request, cancellationToken), cancellationToken);
            foreach (var item in page.S3Objects ?? [])
            {
                if (HashOf(item.Key) is { } hash)
                {
                    yield return hash;
                }
            }

            if (page.IsTruncated != true)
            {
                yield break;
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    public void Dispose() => client.Dispose();

    private string KeyOf(string hash) => $"{location.Prefix}{hash[..2]}/{hash}{ContentAddressedFiles.Extension}";

    private string? HashOf(string key)
    {
        if (!key.StartsWith(location.Prefix, StringComparison.Ordinal) || !key.EndsWith(ContentAddressedFiles.Extension, StringComparison.Ordinal))
        {
            return null;
        }

        var hash = Path.GetFileNameWithoutExtension(key);
        return ContentHash.IsValid(hash) && key == KeyOf(hash) ? hash : null;
    }

    private Task<bool> ExistsRemoteAsync(string hash, CancellationToken cancellationToken) => Call("look up", hash, async () =>
    {
        try
        {
            await client.GetObjectMetadataAsync(location.Bucket, KeyOf(hash), cancellationToken);
            return true;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }, cancellationToken);

    /// <summary>A local copy is only a cache: one that cannot be written is read from S3 next time.</summary>
    private void KeepLocally(ReadOnlyMemory<byte> wasm)
    {
        try
        {
            _cache.Put(wasm.Span);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Runs one S3 request, turning its failure into an <see cref="ArtifactStoreException"/> that names the store.</summary>
    private async Task<T> Call<T>(string what, string? hash, Func<Task<T>> request, CancellationToken cancellationToken)
    {
        try
        {
            return await request();
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode is not 0 && (int)ex.StatusCode < 500)
        {
            throw new ArtifactStoreException(
                $"the artifact store {Location} refused to {what} {hash ?? "its objects"}: {(string.IsNullOrEmpty(ex.ErrorCode) ? "" : ex.ErrorCode + ": ")}{ex.Message}",
                ArtifactStoreFault.Failed, ex);
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or SocketException
                                       or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new ArtifactStoreException(
                $"the artifact store {Location} is unreachable ({what} {hash ?? "its objects"}): {Reason(ex)}", ArtifactStoreFault.Unavailable, ex);
        }
    }

    private static string Reason(Exception ex) =>
        ex.InnerException is { } inner && !ex.Message.Contains(inner.Message, StringComparison.Ordinal) ? $"{ex.Message} ({inner.Message})" : ex.Message;
}
