namespace Wafer.Protocol.Manifest;

/// <summary>
/// A named way out of the sandbox, declared in the manifest's <c>connections</c> (docs/manifest.md). Strings
/// hold <c>{{NAME}}</c> secret placeholders as written; the host fills them in at call time.
/// </summary>
public abstract record ConnectionSpec
{
    public const string Http = "http";
    public const string PostgreSql = "postgresql";
    public const string GraphQL = "graphql";

    public const int DefaultTimeoutMs = 30_000;
    public const int DefaultMaxResponseBytes = 10 * 1024 * 1024;
    public const int MaxMaxResponseBytes = 256 * 1024 * 1024;

    public required string Name { get; init; }

    /// <summary><c>http</c>, <c>postgresql</c> or <c>graphql</c>.</summary>
    public abstract string Type { get; }

    /// <summary>Upper bound on one operation; the call's remaining time bounds it further.</summary>
    public int TimeoutMs { get; init; } = DefaultTimeoutMs;

    /// <summary>Largest response (HTTP body, SQL result as JSON) the host accepts.</summary>
    public int MaxResponseBytes { get; init; } = DefaultMaxResponseBytes;

    /// <summary>Every string of this connection that may hold placeholders, with its manifest key.</summary>
    public abstract IEnumerable<(string Key, string Template)> Templates();
}
