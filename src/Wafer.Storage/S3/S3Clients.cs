using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace Wafer.Storage.S3;

/// <summary>
/// Builds S3 clients from the standard AWS settings, so any S3-compatible server works as AWS does: credentials
/// through the SDK's default chain (<c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>, <c>AWS_PROFILE</c>, SSO,
/// container and instance roles), the region from <c>AWS_REGION</c> or the profile, and the endpoint from
/// <c>AWS_ENDPOINT_URL_S3</c> or <c>AWS_ENDPOINT_URL</c>. A custom endpoint is addressed path-style
/// (<c>http://HOST/BUCKET/KEY</c>: most S3-compatible servers need it) unless <c>AWS_S3_FORCE_PATH_STYLE=false</c>.
/// </summary>
public static class S3Clients
{
    /// <summary>The variables read besides the SDK's own, in order of precedence.</summary>
    public static readonly string[] EndpointVariables = ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"];

    public const string PathStyleVariable = "AWS_S3_FORCE_PATH_STYLE";

    /// <summary>A client for the configured account and endpoint; <paramref name="timeout"/> bounds each request.</summary>
    public static AmazonS3Client Create(TimeSpan timeout)
    {
        var config = new AmazonS3Config
        {
            Timeout = timeout,
            MaxErrorRetry = 1, // a poll comes again soon; an unreachable server should not hold a scan for minutes
            // Checksums only where S3 requires them: S3-compatible servers often reject the trailing checksums newer SDKs add.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (Endpoint() is { } endpoint)
        {
            config.ServiceURL = endpoint;
            config.ForcePathStyle = !string.Equals(Environment.GetEnvironmentVariable(PathStyleVariable), "false", StringComparison.OrdinalIgnoreCase);
            config.AuthenticationRegion = FallbackRegionFactory.GetRegionEndpoint()?.SystemName ?? "us-east-1";
        }
        else if (FallbackRegionFactory.GetRegionEndpoint() is null)
        {
            config.RegionEndpoint = RegionEndpoint.USEast1; // S3 answers for any bucket's region from us-east-1 with a redirect the SDK follows
        }

        return new AmazonS3Client(config);
    }

    /// <summary>The endpoint from the standard variables, or null for AWS itself.</summary>
    public static string? Endpoint() =>
        EndpointVariables.Select(Environment.GetEnvironmentVariable).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
