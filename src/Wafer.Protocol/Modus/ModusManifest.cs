namespace Wafer.Protocol.Modus;

/// <summary>
/// What a Modus app's <c>modus.json</c> says beyond Wafer's manifest: its GraphQL endpoints with their auth, its
/// models as Modus calls them, and every connection as declared (MySQL, Dgraph and Neo4j included).
/// </summary>
public sealed record ModusManifest(
    IReadOnlyDictionary<string, ModusEndpoint> Endpoints,
    IReadOnlyDictionary<string, ModusModel> Models,
    IReadOnlyDictionary<string, ModusConnection> Connections)
{
    public const string FileName = "modus.json";
    public const string FileSuffix = ".modus.json";

    /// <summary>Secret variables Modus apps use: <c>MODUS_&lt;CONNECTION&gt;_&lt;SECRET&gt;</c>, then the older <c>HYPERMODE_</c>.</summary>
    public static readonly IReadOnlyList<string> SecretPrefixes = ["MODUS_", "HYPERMODE_"];

    public static readonly ModusManifest Empty = new(
        new Dictionary<string, ModusEndpoint>(), new Dictionary<string, ModusModel>(), new Dictionary<string, ModusConnection>());

    /// <summary>True when any endpoint asks for a bearer token.</summary>
    public bool RequiresBearerToken => Endpoints.Values.Any(e => e.Auth == ModusEndpoint.BearerToken);
}

/// <summary>A GraphQL endpoint: its path and whether callers must present a bearer token (<c>bearer-token</c>) or not (<c>none</c>).</summary>
public sealed record ModusEndpoint(string Name, string Type, string Path, string Auth)
{
    public const string BearerToken = "bearer-token";
    public const string None = "none";
}

/// <summary>
/// A model: <see cref="SourceModel"/> is what <c>getModelInfo</c> calls its full name; requests go to the
/// <see cref="Connection"/>'s base URL plus <see cref="Path"/>, or to its endpoint.
/// </summary>
public sealed record ModusModel(string Name, string? SourceModel, string? Provider, string Connection, string? Path);

public abstract record ModusConnection(string Name)
{
    public abstract string Type { get; }
}

/// <summary>An HTTP connection: a <see cref="BaseUrl"/> that URLs start with, or one exact <see cref="Endpoint"/>.</summary>
public sealed record ModusHttpConnection(string Name, string? BaseUrl, string? Endpoint, IReadOnlyDictionary<string, string> Headers,
    IReadOnlyDictionary<string, string> QueryParameters) : ModusConnection(Name)
{
    public override string Type => "http";

    public string Url => BaseUrl ?? Endpoint!;
}

/// <summary>A <c>postgresql</c> or <c>mysql</c> connection string (secrets as <c>{{NAME}}</c>).</summary>
public sealed record ModusSqlConnection(string Name, string DbType, string ConnString) : ModusConnection(Name)
{
    public override string Type => DbType;
}

/// <summary>A Dgraph connection: <c>dgraph://host:port?...</c>, or a gRPC target with an optional API key.</summary>
public sealed record ModusDgraphConnection(string Name, string? ConnString, string? GrpcTarget, string? Key) : ModusConnection(Name)
{
    public override string Type => "dgraph";
}

internal sealed record ModusNeo4jConnection(string Name, string DbUri, string Username, string Password) : ModusConnection(Name)
{
    public override string Type => "neo4j";
}
