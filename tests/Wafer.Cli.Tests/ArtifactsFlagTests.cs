namespace Wafer.Cli.Tests;

/// <summary><c>--artifacts</c> on <c>wafer orchestrator</c> and <c>wafer serve</c>: a bad value stops the start with a message naming the flag.</summary>
public sealed class ArtifactsFlagTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly string _root = Directory.CreateTempSubdirectory("wafer-artifacts-").FullName;

    [Theory]
    [InlineData("orchestrator|--artifacts|s3://My_Bucket/fleet", "Artifacts (--artifacts): 'My_Bucket' is not a bucket name")]
    [InlineData("orchestrator|--artifacts|s3://fleet-artifacts/a/../b", "Artifacts (--artifacts): 'a/../b' is not a folder in a bucket")]
    [InlineData("orchestrator|--artifacts|ftp://host/fleet", "Artifacts (--artifacts) must be a folder or s3://BUCKET/PREFIX, got 'ftp://host/fleet'")]
    [InlineData("serve|--standalone|--artifacts|s3://fleet-artifacts/shared", "--artifacts is the orchestrator's artifact store, and --standalone runs none: drop one of them")]
    [InlineData("serve|--artifacts|s3://My_Bucket", "Artifacts (--artifacts): 'My_Bucket' is not a bucket name")]
    public async Task BadArtifactsFlag_IsRefusedNamingIt(string arguments, string message)
    {
        var (code, output) = await CliProcess.RunAsync(_root, Timeout, [.. arguments.Split('|'), "--storagePath", Path.Combine(_root, "storage")]);

        Assert.Equal(2, code);
        Assert.Contains(message, output.ReplaceLineEndings(" "));
        Assert.False(Directory.Exists(Path.Combine(_root, "storage", "artifacts")), "nothing was created");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
