using Wafer.Protocol.Manifest;

namespace Wafer.Runtime.Capabilities.GraphQL;

/// <summary>
/// The GraphQL connection <c>dgraph</c> that <c>--dgraph URL</c> grants every plugin (Hypermode's default target): the
/// Alpha's <c>/graphql</c> endpoint. A plugin whose manifest declares a <c>dgraph</c> connection uses its own.
/// </summary>
internal static class DgraphConnection
{
    public const string Name = "dgraph";

    public static GraphQLConnectionSpec? From(Uri? alpha) =>
        alpha is null ? null : new GraphQLConnectionSpec { Name = Name, Endpoint = alpha.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/graphql" };
}
