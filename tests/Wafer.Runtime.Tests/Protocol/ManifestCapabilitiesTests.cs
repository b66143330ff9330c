using System.Text;
using Wafer.Protocol.Manifest;

namespace Wafer.Runtime.Tests.Protocol;

/// <summary>The manifest's <c>connections</c>, <c>models</c>, <c>config</c> and <c>resolvers</c> (docs/manifest.md).</summary>
public sealed class ManifestCapabilitiesTests
{
    private static PluginManifest Parse(string json) => ManifestReader.Parse(Encoding.UTF8.GetBytes(json));

    private const string Full = """
        {
          "name": "weather",
          "connections": {
            "openweather": {
              "type": "http", "baseUrl": "https://api.openweathermap.org/data/2.5/",
              "headers": { "X-Api-Key": "{{API_KEY}}", "Accept": "application/json" }, "timeoutMs": 2000
            },
            "openai": { "type": "http", "baseUrl": "https://api.openai.com/v1", "headers": { "Authorization": "Bearer {{ API_KEY }}" } },
            "db": { "type": "postgresql", "connString": "postgres://app:{{PASSWORD}}@db.internal:5432/app?sslmode=require", "maxResponseBytes": 1048576 },
            "dgraph": { "type": "graphql", "endpoint": "http://localhost:8080/graphql" }
          },
          "models": {
            "text": { "connection": "openai", "model": "gpt-4o-mini", "kind": "chat" },
            "embedder": { "connection": "openai", "model": "text-embedding-3-small", "kind": "embeddings" },
            "default-kind": { "connection": "openai", "model": "gpt-4o" }
          },
          "config": { "units": "metric", "city.default": "Lisbon" },
          "resolvers": { "Query.getPerson": "getPerson", "Person.fullName": "fullName" }
        }
        """;

    [Fact]
    public void Parse_FullManifest_ReadsEveryCapabilitySection()
    {
        var manifest = Parse(Full);
        var weather = Assert.IsType<HttpConnectionSpec>(manifest.Connections["openweather"]);
        Assert.Equal("https://api.openweathermap.org/data/2.5/", weather.BaseUrl);
        Assert.Equal("{{API_KEY}}", weather.Headers["X-Api-Key"]);
        Assert.Equal(2000, weather.TimeoutMs);
        Assert.Equal(ConnectionSpec.DefaultMaxResponseBytes, weather.MaxResponseBytes);
        var db = Assert.IsType<PostgresConnectionSpec>(manifest.Connections["db"]);
        Assert.Equal(1048576, db.MaxResponseBytes);
        Assert.Equal(ConnectionSpec.DefaultTimeoutMs, db.TimeoutMs);
        Assert.IsType<GraphQLConnectionSpec>(manifest.Connections["dgraph"]);
        Assert.Equal(["openweather", "openai", "db", "dgraph"], manifest.Connections.Keys);

        Assert.Equal("embeddings", manifest.Models["embedder"].Kind);
        Assert.Equal("chat", manifest.Models["default-kind"].Kind);
        Assert.Equal("gpt-4o-mini", manifest.Models["text"].Model);
        Assert.Equal("Lisbon", manifest.Config["city.default"]);
        Assert.Equal("fullName", manifest.Resolvers["Person.fullName"]);
        Assert.Equal(["API_KEY"], SecretTemplate.Names(weather.Headers["X-Api-Key"]));
    }

    [Fact]
    public void Parse_SameManifestTwice_IsEqual()
    {
        Assert.Equal(Parse(Full), Parse(Full));
        Assert.NotEqual(Parse(Full), Parse(Full.Replace("metric", "imperial", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("""{"connections":[]}""", "$.connections must be a JSON object")]
    [InlineData("""{"connections":{"Bad Name":{"type":"http","baseUrl":"https://a/"}}}""", "$.connections[\"Bad Name\"]: a connection name must be 1-64 characters")]
    [InlineData("""{"connections":{"w":{"baseUrl":"https://a/"}}}""", "$.connections.w.type is missing (http, postgresql or graphql)")]
    [InlineData("""{"connections":{"w":{"type":"ftp"}}}""", "$.connections.w.type must be http, postgresql or graphql, got 'ftp'")]
    [InlineData("""{"connections":{"w":{"type":"http"}}}""", "$.connections.w.baseUrl is missing")]
    [InlineData("""{"connections":{"weather":{"type":"http","baseUrl":"api.example.com"}}}""", "$.connections.weather.baseUrl must be an absolute http(s) URL, got 'api.example.com'")]
    [InlineData("""{"connections":{"weather":{"type":"http","baseUrl":"ftp://a/"}}}""", "$.connections.weather.baseUrl must be an absolute http(s) URL")]
    [InlineData("""{"connections":{"w":{"type":"http","baseUrl":"https://user:pw@a/"}}}""", "$.connections.w.baseUrl must not contain user info")]
    [InlineData("""{"connections":{"w":{"type":"http","baseUrl":"https://a/?key=1"}}}""", "$.connections.w.baseUrl must not have a query or fragment")]
    [InlineData("""{"connections":{"w":{"type":"http","baseUrl":"https://{{HOST}}/"}}}""", "$.connections.w.baseUrl may hold secret placeholders only in its path")]
    [InlineData("""{"connections":{"w":{"type":"http","baseUrl":"https://a/","headers":{"X-K":"{{bad name}}"}}}}""", "$.connections.w.headers.X-K has a malformed secret placeholder")]
    [InlineData("""{"connections":{"w":{"type":"http","baseUrl":"https://a/","headers":{"X-K":"{{KEY}"}}}}""", "$.connections.w.headers.X-K has a malformed secret placeholder near '{{KEY}'")]
    [InlineData("""{"connections":{"w":{"type":"http","baseUrl":"https://a/","headers":{"X K":"v"}}}}""", "$.connections.w.headers[\"X K\"]: 'X K' is not a valid HTTP header name")]
    [InlineData("""{"connections":{"w":{"type":"http","baseUrl":"https://a/","headers":{"X-K":1}}}}""", "$.connections.w.headers.X-K must be a string")]
    [InlineData("""{"connections":{"w":{"type":"http","baseUrl":"https://a/","headers":[]}}}""", "$.connections.w.headers must be a JSON object")]
    [InlineData("""{"connections":{"w":{"type":"http","baseUrl":"https://a/","connString":"x"}}}""", "$.connections.w.connString is not a key of a http connection (type, timeoutMs, maxResponseBytes, baseUrl, headers, queryParameters)")]
    [InlineData("""{"connections":{"w":{"type":"http","baseUrl":"https://a/","queryParameters":{"key":2}}}}""", "$.connections.w.queryParameters.key must be a string")]
    [InlineData("""{"connections":{"w":{"type":"http","baseUrl":"https://a/","queryParameters":{"key":"{{bad name}}"}}}}""", "$.connections.w.queryParameters.key has a malformed secret placeholder")]
    [InlineData("""{"connections":{"w":{"type":"http","baseUrl":"https://a/","queryParameters":{"":"x"}}}}""", "$.connections.w.queryParameters[\"\"]: a query parameter name must not be empty")]
    [InlineData("""{"connections":{"g":{"type":"graphql","endpoint":"https://a/","queryParameters":{}}}}""", "$.connections.g.queryParameters is not a key of a graphql connection")]
    [InlineData("""{"connections":{"w":{"type":"http","baseUrl":"https://a/","timeoutMs":0}}}""", "$.connections.w.timeoutMs must be between 1 and 600000, got 0")]
    [InlineData("""{"connections":{"w":{"type":"http","baseUrl":"https://a/","maxResponseBytes":"big"}}}""", "$.connections.w.maxResponseBytes must be an integer")]
    [InlineData("""{"connections":{"w":{"type":"http","baseUrl":"https://a/","maxResponseBytes":1073741824}}}""", "$.connections.w.maxResponseBytes must be between 1 and 268435456")]
    [InlineData("""{"connections":{"db":{"type":"postgresql"}}}""", "$.connections.db.connString is missing")]
    [InlineData("""{"connections":{"db":{"type":"postgresql","connString":""}}}""", "$.connections.db.connString must not be empty")]
    [InlineData("""{"connections":{"db":{"type":"postgresql","connString":"just words"}}}""", "$.connections.db.connString must be a postgres://user:password@host:port/database URL or Key=Value pairs")]
    [InlineData("""{"connections":{"db":{"type":"postgresql","connString":"Host=x","headers":{}}}}""", "$.connections.db.headers is not a key of a postgresql connection")]
    [InlineData("""{"connections":{"g":{"type":"graphql","endpoint":"/graphql"}}}""", "$.connections.g.endpoint must be an absolute http(s) URL")]
    [InlineData("""{"connections":{"g":{"type":"graphql"}}}""", "$.connections.g.endpoint is missing")]
    [InlineData("""{"connections":{"a":{"type":"http","baseUrl":"https://a/{{B_C}}/"},"a_b":{"type":"http","baseUrl":"https://b/","headers":{"X":"{{C}}"}}}}""",
        "$.connections.a_b: secret C would be read from WAFER_A_B_C, which already holds secret B_C of connection 'a'")]
    [InlineData("""{"models":{"m":{"connection":"nope","model":"x"}}}""", "$.models.m.connection names 'nope', but the manifest declares no connections")]
    [InlineData("""{"connections":{"db":{"type":"postgresql","connString":"Host=x"}},"models":{"m":{"connection":"web","model":"x"}}}""", "$.models.m.connection names 'web', which is not a declared connection (db)")]
    [InlineData("""{"connections":{"db":{"type":"postgresql","connString":"Host=x"}},"models":{"m":{"connection":"db","model":"x"}}}""", "$.models.m.connection names 'db', a postgresql connection; a model needs an http connection")]
    [InlineData("""{"models":{"m":{"model":"x"}}}""", "$.models.m.connection is missing")]
    [InlineData("""{"connections":{"o":{"type":"http","baseUrl":"https://a/"}},"models":{"m":{"connection":"o"}}}""", "$.models.m.model is missing")]
    [InlineData("""{"connections":{"o":{"type":"http","baseUrl":"https://a/"}},"models":{"m":{"connection":"o","model":"x","kind":"vision"}}}""", "$.models.m.kind must be chat or embeddings, got 'vision'")]
    [InlineData("""{"models":{"m":{"connection":"o","model":"x","temperature":1}}}""", "$.models.m.temperature is not a key of a model (connection, model, kind)")]
    [InlineData("""{"models":{"Big":{}}}""", "$.models.Big: a model name must be 1-64 characters")]
    [InlineData("""{"config":{"units":1}}""", "$.config.units must be a string")]
    [InlineData("""{"config":{"a b":"x"}}""", "$.config[\"a b\"]: a config key may hold only letters, digits")]
    [InlineData("""{"config":{"key":"{{SECRET}}"}}""", "$.config.key: config values are not secret and take no placeholders")]
    [InlineData("""{"config":"x"}""", "$.config must be a JSON object")]
    [InlineData("""{"resolvers":{"getPerson":"getPerson"}}""", "$.resolvers.getPerson: 'getPerson' is not a resolver name; write Type.field")]
    [InlineData("""{"resolvers":{"Query.getPerson":"get-person"}}""", "$.resolvers[\"Query.getPerson\"] must name a function, got 'get-person'")]
    public void Parse_InvalidCapabilitySection_NamesThePath(string body, string expected)
    {
        var json = "{\"name\":\"p\"," + body[1..];
        var error = Assert.Throws<ManifestException>(() => Parse(json));
        Assert.StartsWith(expected, error.Message);
    }
}
