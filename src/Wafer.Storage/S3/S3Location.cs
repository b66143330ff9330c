namespace Wafer.Storage.S3;

/// <summary>A bucket and a folder in it (a key prefix ending in <c>/</c>, or empty for the bucket's root).</summary>
public sealed record S3Location(string Bucket, string Prefix)
{
    /// <summary>
    /// A location from a bucket and a folder as users type them (<c>shared-plugins</c>, <c>/a/b/</c>); the problem
    /// with them, naming <paramref name="bucketFlag"/> or <paramref name="folderFlag"/>, or null.
    /// </summary>
    public static S3Location? TryCreate(string bucket, string? folder, string bucketFlag, string folderFlag, out string? error)
    {
        error = null;
        if (!IsValidBucket(bucket))
        {
            error = $"{bucketFlag}: '{bucket}' is not a bucket name (3 to 63 characters: a-z, 0-9, '.', '-', starting and ending with a letter or digit)";
            return null;
        }

        var prefix = (folder ?? "").Trim('/');
        if (prefix.Split('/').Any(segment => segment is "." or ".." || (prefix.Length > 0 && segment.Length == 0)) || prefix.Contains('\\'))
        {
            error = $"{folderFlag}: '{folder}' is not a folder in a bucket (segments separated by '/', no '.', '..' or empty segments)";
            return null;
        }

        return new S3Location(bucket, prefix.Length == 0 ? "" : prefix + "/");
    }

    /// <summary>Parses <c>s3://BUCKET/FOLDER</c>; null when <paramref name="text"/> is not an S3 URL.</summary>
    public static S3Location? TryParseUrl(string text, string flag, out string? error)
    {
        error = null;
        if (!text.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var rest = text["s3://".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var location = TryCreate(slash < 0 ? rest : rest[..slash], slash < 0 ? "" : rest[(slash + 1)..], flag, flag, out error);
        if (location is null && error is null)
        {
            error = $"{flag}: '{text}' is not s3://BUCKET/FOLDER";
        }

        return location;
    }

    public override string ToString() => $"s3://{Bucket}/{Prefix}";

    // S3's rules for new buckets (general purpose): https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
    private static bool IsValidBucket(string bucket) =>
        bucket.Length is >= 3 and <= 63
        && bucket.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-')
        && char.IsAsciiLetterOrDigit(bucket[0]) && char.IsAsciiLetterOrDigit(bucket[^1])
        && !bucket.Contains("..", StringComparison.Ordinal);
}
