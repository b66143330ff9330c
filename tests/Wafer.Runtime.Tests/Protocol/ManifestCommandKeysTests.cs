using System.Text;
using Wafer.Protocol.Manifest;

namespace Wafer.Runtime.Tests.Protocol;

/// <summary>The manifest keys of command plugins: <c>type</c>, <c>files</c> and <c>routes</c>.</summary>
public sealed class ManifestCommandKeysTests
{
    private static PluginManifest Parse(string json) => ManifestReader.Parse(Encoding.UTF8.GetBytes(json), "p");

    [Fact]
    public void CommandManifest_ReadsTypeFilesAndRoutes()
    {
        var manifest = Parse("""
            { "type": "command", "files": { "path": "data", "readOnly": true },
              "routes": [ { "path": "/hello", "methods": ["get", "POST", "GET"] }, { "path": "/static/..." }, { "path": "/..." } ] }
            """);

        Assert.Equal(PluginType.Command, manifest.Type);
        Assert.Equal(new GrantedFolder("data", true), manifest.Files);
        Assert.Equal(["GET", "POST"], manifest.Routes[0].Methods);
        Assert.False(manifest.Routes[0].IsPrefix);
        Assert.True(manifest.Routes[1].IsPrefix);
        Assert.Equal("/static", manifest.Routes[1].BasePath);
        Assert.Equal("/", manifest.Routes[2].BasePath);
        Assert.Empty(manifest.Routes[1].Methods);
    }

    [Fact]
    public void Defaults_AreAFunctionsPluginWithoutFilesOrRoutes()
    {
        var manifest = Parse("{}");

        Assert.Equal(PluginType.Functions, manifest.Type);
        Assert.Null(manifest.Files);
        Assert.Empty(manifest.Routes);
    }

    [Fact]
    public void EqualManifests_AreEqualRecords()
    {
        const string json = """{ "type": "command", "routes": [ { "path": "/a", "methods": ["GET"] } ] }""";

        Assert.Equal(Parse(json), Parse(json));
        Assert.NotEqual(Parse(json), Parse(json.Replace("GET", "POST", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("""{"type":3}""", "$.type must be a string")]
    [InlineData("""{"files":{"path":"d"}}""", "$.files is only for command plugins: add \"type\": \"command\"")]
    [InlineData("""{"type":"command","files":"d"}""", "$.files must be a JSON object")]
    [InlineData("""{"type":"command","files":{}}""", "$.files.path is missing")]
    [InlineData("""{"type":"command","files":{"path":"d","mode":"rw"}}""", "$.files.mode is not a known key of files (path, readOnly)")]
    [InlineData("""{"type":"command","files":{"path":"d","readOnly":"yes"}}""", "$.files.readOnly must be true or false")]
    [InlineData("""{"type":"command","routes":{}}""", "$.routes must be an array")]
    [InlineData("""{"type":"command","routes":[{"methods":["GET"]}]}""", "$.routes[0].path is missing")]
    [InlineData("""{"type":"command","routes":[{"path":"/a"},{"path":"/a"}]}""", "$.routes[1].path '/a' is listed twice")]
    [InlineData("""{"type":"command","routes":[{"path":"/a/"}]}""", "$.routes[0].path must not end with '/'")]
    [InlineData("""{"type":"command","routes":[{"path":"/a//b"}]}""", "$.routes[0].path must not contain '//'")]
    [InlineData("""{"type":"command","routes":[{"path":"/a/../b"}]}""", "$.routes[0].path must not contain '.' or '..' segments")]
    [InlineData("""{"type":"command","routes":[{"path":"/a?b=1"}]}""", "$.routes[0].path may hold only letters")]
    [InlineData("""{"type":"command","routes":[{"path":"/api/..."}]}""", "$.routes[0].path must not be under /api")]
    [InlineData("""{"type":"command","routes":[{"path":"/graphql"}]}""", "$.routes[0].path must not be under /graphql")]
    [InlineData("""{"type":"command","routes":[{"path":"/a","methods":[]}]}""", "$.routes[0].methods must list at least one method")]
    [InlineData("""{"type":"command","routes":[{"path":"/a","verbs":["GET"]}]}""", "$.routes[0].verbs is not a known key of a route (path, methods)")]
    public void BadCommandKeys_AreErrorsNamingTheirPath(string json, string expected)
    {
        var error = Assert.Throws<ManifestException>(() => Parse(json));

        Assert.StartsWith(expected, error.Message);
    }

    [Theory]
    [InlineData("/API/logs", "must not be under /api")]
    [InlineData("/Api/...", "must not be under /api")]
    [InlineData("/Jobs/x", "must not be under /jobs")]
    [InlineData("/GRAPHQL", "must not be under /graphql")]
    [InlineData("/Functions/hello", "must not be under /functions")]
    [InlineData("/HealthZ", "must not be under /healthz")]
    [InlineData("/%2e%2e/x", "must not hold percent-encoded characters")]
    [InlineData("/%2E%2E/api", "must not hold percent-encoded characters")]
    [InlineData("/%61pi/x", "must not hold percent-encoded characters")]
    [InlineData("/a%2Fb", "must not hold percent-encoded characters")]
    [InlineData("/a%20b", "must not hold percent-encoded characters")]
    public void ReservedPathInAnotherCaseOrEncoding_IsRefusedLikeTheReservedPath(string path, string expected)
    {
        var error = Assert.Throws<ManifestException>(() => Parse($$"""{"type":"command","routes":[{"path":"{{path}}"}]}"""));

        Assert.StartsWith($"$.routes[0].path {expected}", error.Message);
        Assert.EndsWith($", got '{path}'", error.Message);
    }

    [Fact]
    public void JobsPrefixLookalike_IsNotReserved()
    {
        var manifest = Parse("""{ "type": "command", "routes": [ { "path": "/jobsite/..." } ] }""");

        Assert.Equal("/jobsite/...", manifest.Routes[0].Path);
    }
}
