using Wafer.Protocol.Manifest;
using Wafer.Protocol.Modus;

namespace Wafer.Runtime.Modus.Host;

/// <summary>
/// Models on Modus's <c>hypermode</c> connection, served where <c>--modelHost</c> says, as Hypermode's cloud served them
/// (KServe): model M is posted to <c>http://m.MODELHOST/M:predict</c>. Each such model gets an http connection of its
/// own at load, so the request goes out through <c>http.fetch</c> and its allow-list like any other.
/// </summary>
internal static class HypermodeModels
{
    public const string Connection = "hypermode";

    /// <summary>The connection a hosted model's requests go through; ':' keeps it apart from every name a manifest can declare.</summary>
    public static string ConnectionName(ModusModel model) => Connection + ":" + model.Name;

    public static string BaseUrl(ModusModel model, string modelHost) => $"http://{model.Name.ToLowerInvariant()}.{modelHost}/";

    public static string Url(ModusModel model, string modelHost) => BaseUrl(model, modelHost) + model.Name + ":predict";

    /// <summary><paramref name="manifest"/> with a connection for each hosted model, when <paramref name="modelHost"/> is set.</summary>
    public static PluginManifest WithConnections(PluginManifest manifest, ModusManifest modus, string? modelHost)
    {
        var hosted = modus.Models.Values.Where(m => m.Connection == Connection).ToArray();
        if (modelHost is null || hosted.Length == 0)
        {
            return manifest;
        }

        var connections = manifest.Connections.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        foreach (var model in hosted)
        {
            connections[ConnectionName(model)] = new HttpConnectionSpec { Name = ConnectionName(model), BaseUrl = BaseUrl(model, modelHost) };
        }

        return manifest with { Connections = new ManifestMap<ConnectionSpec>(connections) };
    }
}
