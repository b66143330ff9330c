using System.Text;
using Wafer.Protocol.Manifest;

namespace Wafer.Runtime.Tests.Protocol;

public sealed class ManifestReaderTests
{
    private static PluginManifest Parse(string json, string? defaultName = null) =>
        ManifestReader.Parse(Encoding.UTF8.GetBytes(json), defaultName);

    [Fact]
    public void Parse_FullManifest_ReadsEveryField()
    {
        var manifest = Parse("""
            { "name": "hello", "version": "1.2.0", "reuseInstances": true,
              // comments are allowed
              "limits": { "timeoutMs": 250, "memoryMb": 16, "fuel": 1000000 } }
            """);
        Assert.Equal("hello", manifest.Name);
        Assert.Equal("1.2.0", manifest.Version);
        Assert.True(manifest.ReuseInstances);
        Assert.Equal(250, manifest.Limits.TimeoutMs);
        Assert.Equal(16L * 1024 * 1024, manifest.Limits.MemoryBytes);
        Assert.Equal(1_000_000, manifest.Limits.Fuel);
    }

    [Fact]
    public void Parse_Defaults_ApplyWhenOmitted()
    {
        var manifest = Parse("{}", defaultName: "fallback");
        Assert.Equal("fallback", manifest.Name);
        Assert.False(manifest.ReuseInstances);
        Assert.Equal(PluginLimits.DefaultTimeoutMs, manifest.Limits.TimeoutMs);
        Assert.Null(manifest.Limits.Fuel);
    }

    [Theory]
    [InlineData("[]", "$ must be a JSON object")]
    [InlineData("{", "not valid JSON")]
    [InlineData("""{"name":"Hello World"}""", "$.name must be 1-64 characters")]
    [InlineData("""{"name":"ok","colour":"red"}""", "$.colour is not a known manifest key")]
    [InlineData("""{"name":"ok","reuseInstances":"yes"}""", "$.reuseInstances must be true or false")]
    [InlineData("""{"name":"ok","limits":{"timeoutMs":0}}""", "$.limits.timeoutMs must be between 1 and")]
    [InlineData("""{"name":"ok","limits":{"memoryMb":"lots"}}""", "$.limits.memoryMb must be an integer")]
    [InlineData("""{"name":"ok","limits":{"cpu":1}}""", "$.limits.cpu is not a known limit")]
    [InlineData("""{"version":"1"}""", "$.name is missing")]
    public void Parse_InvalidManifest_NamesThePath(string json, string fragment)
    {
        var error = Assert.Throws<ManifestException>(() => Parse(json));
        Assert.Contains(fragment, error.Message);
    }
}
