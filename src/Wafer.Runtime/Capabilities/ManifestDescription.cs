using System.Text.RegularExpressions;
using Wafer.Protocol.Manifest;

namespace Wafer.Runtime.Capabilities;

/// <summary>
/// The capability parts of a manifest as introspection shows them: connections with their placeholders as
/// written (never a secret value), models, config and Dgraph resolvers. What may be a credential written literally
/// instead of a placeholder is masked as <c>***</c>: a password in a connection string, and a header value that is
/// not only placeholders (with at most an authentication scheme word, as in <c>Bearer {{TOKEN}}</c>).
/// </summary>
internal static partial class ManifestDescription
{
    public static object Describe(PluginManifest manifest) => new
    {
        connections = manifest.Connections.ToDictionary(c => c.Key, c => Connection(c.Value)),
        models = manifest.Models.ToDictionary(m => m.Key, m => new { connection = m.Value.Connection, model = m.Value.Model, kind = m.Value.Kind }),
        config = manifest.Config,
        resolvers = manifest.Resolvers,
    };

    private static object Connection(ConnectionSpec connection) => connection switch
    {
        HttpConnectionSpec http => new
        {
            type = http.Type, baseUrl = http.BaseUrl, headers = MaskHeaders(http.Headers), queryParameters = MaskHeaders(http.QueryParameters), timeoutMs = http.TimeoutMs, maxResponseBytes = http.MaxResponseBytes,
        },
        GraphQLConnectionSpec graphql => new
        {
            type = graphql.Type, endpoint = graphql.Endpoint, headers = MaskHeaders(graphql.Headers), timeoutMs = graphql.TimeoutMs,
            maxResponseBytes = graphql.MaxResponseBytes,
        },
        PostgresConnectionSpec postgres => new
        {
            type = postgres.Type, connString = MaskPassword(postgres.ConnString), timeoutMs = postgres.TimeoutMs, maxResponseBytes = postgres.MaxResponseBytes,
        },
        _ => new { type = connection.Type },
    };

    /// <summary>The header values as written when they are only placeholders; every other value as <c>***</c>.</summary>
    public static Dictionary<string, string> MaskHeaders(IEnumerable<KeyValuePair<string, string>> headers) =>
        headers.ToDictionary(h => h.Key, h => SecretTemplate.IsOnlyPlaceholders(h.Value) ? h.Value : Masked, StringComparer.Ordinal);

    private const string Masked = "***";

    public static string MaskPassword(string connString)
    {
        var masked = KeyValuePassword().Replace(connString, m => SecretTemplate.HasPlaceholders(m.Groups[2].Value) ? m.Value : m.Groups[1].Value + "***");
        return UrlPassword().Replace(masked, m => SecretTemplate.HasPlaceholders(m.Groups[2].Value) ? m.Value : m.Groups[1].Value + "***@");
    }

    [GeneratedRegex(@"((?:^|;)\s*(?:password|pwd)\s*=\s*)([^;]*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KeyValuePassword();

    [GeneratedRegex(@"^(postgres(?:ql)?://[^:/@]*:)([^@]*)@", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrlPassword();
}
