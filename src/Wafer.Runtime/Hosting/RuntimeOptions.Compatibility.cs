namespace Wafer.Runtime.Hosting;

/// <summary>The settings that give Hypermode's and Modus's flags and variables their job (docs/hypermode-modus.md).</summary>
public sealed partial class RuntimeOptions
{
    public const string Development = "dev";
    public const string Staging = "stage";
    public const string Production = "prod";

    /// <summary>
    /// The Dgraph Alpha every plugin may query as the GraphQL connection <c>dgraph</c> (<c>--dgraph</c>, Hypermode's
    /// default target): its <c>/graphql</c> endpoint, unless a plugin's manifest declares a <c>dgraph</c> connection itself.
    /// </summary>
    public Uri? Dgraph { get; set; }

    /// <summary>
    /// The DNS suffix of hosted model servers (<c>--modelHost</c>): a Modus model on the <c>hypermode</c> connection
    /// is sent to <c>http://MODEL.MODELHOST/MODEL:predict</c>, as Hypermode's cloud served them (KServe); a <c>:PORT</c> may follow the host.
    /// </summary>
    public string? ModelHost { get; set; }

    /// <summary>A folder of one file per secret, named by its variable (<c>--secretsDir</c>), as Docker and Kubernetes mount them.</summary>
    public string? SecretsDirectory { get; set; }

    /// <summary>
    /// <c>dev</c>, <c>stage</c> or <c>prod</c> (<c>ENVIRONMENT</c>, or Modus's <c>MODUS_ENV</c>). Outside <c>dev</c> the
    /// GraphQL explorer page is not served; <c>GET /api/info</c> names it.
    /// </summary>
    public string EnvironmentName { get; set; } = Development;

    /// <summary>Environment names as Hypermode and Modus accepted them, by the name Wafer uses.</summary>
    public static string? NormalizeEnvironment(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        null or "" or "dev" or "development" => Development,
        "stage" or "staging" => Staging,
        "prod" or "production" => Production,
        _ => null,
    };

    private IEnumerable<string> ValidateCompatibility()
    {
        if (Dgraph is { } dgraph && (!dgraph.IsAbsoluteUri || dgraph.Scheme is not ("http" or "https")))
        {
            yield return $"Dgraph (--dgraph): '{dgraph}' is not an http:// or https:// URL";
        }

        if (ModelHost is { } host && (!Uri.TryCreate("http://model." + host + "/", UriKind.Absolute, out var url) || url.Authority != "model." + host
                || url.HostNameType != UriHostNameType.Dns))
        {
            yield return $"ModelHost (--modelHost): '{host}' is not a host name such as models.example.com (a :PORT may follow)";
        }

        if (SecretsDirectory is { } folder && !Directory.Exists(folder))
        {
            yield return $"SecretsDirectory (--secretsDir): folder '{folder}' does not exist";
        }

        if (EnvironmentName is not (Development or Staging or Production))
        {
            yield return $"Environment (ENVIRONMENT): '{EnvironmentName}' is not dev, stage or prod";
        }
    }
}
