namespace Wafer.Tests.S3;

/// <summary>
/// One s3rver for a test class (its tests run one at a time), reached through the standard AWS variables, with a
/// fresh bucket per test.
/// </summary>
public sealed class LocalS3 : IAsyncLifetime
{
    private int _buckets;

    public S3Server Server { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Server = await S3Server.StartNewAsync();
        foreach (var (name, value) in Server.Environment)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    /// <summary>A new empty bucket named <c>PREFIX-N-RANDOM</c>.</summary>
    public async Task<string> NewBucketAsync(string prefix = "test")
    {
        var bucket = $"{prefix}-{Interlocked.Increment(ref _buckets)}-{Guid.NewGuid().ToString("N")[..8]}";
        await Server.CreateBucketAsync(bucket);
        return bucket;
    }

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}
