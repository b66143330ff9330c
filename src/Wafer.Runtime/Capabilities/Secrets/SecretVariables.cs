using Wafer.Protocol.Manifest;
using Wafer.Protocol.Modus;

namespace Wafer.Runtime.Capabilities.Secrets;

/// <summary>
/// The variables that may hold secret NAME of a connection, in order of precedence (docs/hypermode-modus.md):
/// <list type="number">
/// <item><c>PREFIX_CONNECTION_NAME</c> for the plugin's own prefixes (<c>WAFER_</c>; a Modus app's <c>MODUS_</c>, <c>HYPERMODE_</c>),
/// then for the others of those three, so a secret set under any of the names Wafer, Modus and Hypermode used is found;</item>
/// <item>for the placeholder <c>API_KEY</c> of a connection that serves models: Hypermode's <c>HYP_MODEL_KEY_MODEL</c> for each
/// of those models, in the manifest's order, and <c>OPENAI_API_KEY</c> when the connection is to https://api.openai.com.</item>
/// </list>
/// </summary>
internal static class SecretVariables
{
    /// <summary>Every prefix of connection secrets, Wafer's first.</summary>
    public static readonly IReadOnlyList<string> Prefixes = [SecretTemplate.VariablePrefix, .. ModusManifest.SecretPrefixes];

    /// <summary>Hypermode's per-model key: <c>HYP_MODEL_KEY_</c> and the model's name, upper-cased, '-' as '_'.</summary>
    public const string ModelKeyPrefix = "HYP_MODEL_KEY_";

    public const string OpenAiKey = "OPENAI_API_KEY";

    /// <summary>The placeholder model keys stand in for.</summary>
    public const string ApiKey = "API_KEY";

    public static IEnumerable<string> For(PluginManifest manifest, ConnectionSpec connection, string secret)
    {
        foreach (var prefix in manifest.SecretPrefixes.Concat(Prefixes).Distinct(StringComparer.Ordinal))
        {
            yield return SecretTemplate.VariableName(prefix, connection.Name, secret);
        }

        if (!string.Equals(secret.Trim(), ApiKey, StringComparison.OrdinalIgnoreCase))
        {
            yield break;
        }

        foreach (var model in manifest.Models.Values.Where(m => m.Connection == connection.Name))
        {
            yield return ModelKeyPrefix + model.Name.ToUpperInvariant().Replace('-', '_');
        }

        if (IsOpenAi(connection))
        {
            yield return OpenAiKey;
        }
    }

    /// <summary>
    /// A connection to OpenAI itself (https://api.openai.com). Not one merely named "openai", as Hypermode's host was:
    /// the key is the operator's for every plugin, so it goes only where it is meant to.
    /// </summary>
    private static bool IsOpenAi(ConnectionSpec connection) =>
        connection is HttpConnectionSpec http && Uri.TryCreate(http.BaseUrl, UriKind.Absolute, out var url)
        && url.Scheme == Uri.UriSchemeHttps && string.Equals(url.Host, "api.openai.com", StringComparison.OrdinalIgnoreCase);
}
