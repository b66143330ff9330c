using System.Text.Encodings.Web;
using GraphQL;
using GraphQL.Execution;
using GraphQL.SystemTextJson;

namespace Wafer.GraphQL;

/// <summary>
/// The serializer for GraphQL requests and responses, shared by every request: readable escaping (like the rest
/// of the runtime's JSON) and error extensions with <c>code</c> but without GraphQL.NET's redundant <c>codes</c>.
/// </summary>
internal static class GraphQLJson
{
    public static IGraphQLTextSerializer Serializer { get; } = new GraphQLSerializer(
        options => options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        new ErrorInfoProvider(options => options.ExposeCodes = false));
}
