namespace Wafer.Protocol.Manifest;

/// <summary>A GraphQL endpoint (Dgraph, Hasura, any GraphQL-over-HTTP server) for <c>graphql.execute</c>.</summary>
public sealed record GraphQLConnectionSpec : ConnectionSpec
{
    public override string Type => GraphQL;

    /// <summary>The absolute http(s) URL requests are POSTed to.</summary>
    public required string Endpoint { get; init; }

    public ManifestMap<string> Headers { get; init; } = ManifestMap<string>.Empty;

    public override IEnumerable<(string Key, string Template)> Templates() =>
        Headers.Select(h => ("headers." + h.Key, h.Value)).Prepend(("endpoint", Endpoint));
}
