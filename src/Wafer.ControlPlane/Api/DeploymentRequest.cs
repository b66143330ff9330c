using System.Text.Json;
using System.Text.Json.Serialization;

namespace Wafer.ControlPlane.Api;

/// <summary>
/// The JSON body of <c>POST /api/deployments</c>. Give the plugin either inline (<c>plugin</c>: the wasm in base64,
/// with an optional <c>manifest</c>) or by the <c>hash</c> of an artifact uploaded with <c>POST /api/artifacts</c>.
/// The same fields are accepted as multipart form fields, with the wasm and the manifest as files
/// (<c>plugin</c> or <c>wasm</c>, and <c>manifest</c>) and <c>labels</c> as <c>k=v,k=v</c> or a JSON object.
/// </summary>
/// <param name="Name">Deployment and plugin name; default the manifest's <c>name</c>.</param>
/// <param name="Replicas">How many runtimes should run it (default 1; 0 keeps the deployment with nothing running).</param>
/// <param name="Labels">Placement constraints: a runtime must carry every one of these labels.</param>
/// <param name="Config">Configuration passed to the runtimes in <c>create_module</c>.</param>
/// <param name="AllowShadowing">Deploy even when another deployment already serves some of the plugin's function names
/// (then <c>/functions/NAME</c> answers 409 for those names and callers use <c>/functions/DEPLOYMENT/NAME</c>).</param>
/// <remarks>Every field is optional (defaults here), so the OpenAPI document requires none: <c>{"name", "hash"}</c> is a whole request.</remarks>
internal sealed record DeploymentRequest(
    [property: JsonPropertyName("name")] string? Name = null,
    [property: JsonPropertyName("plugin")] string? Plugin = null,
    [property: JsonPropertyName("manifest")] JsonElement? Manifest = null,
    [property: JsonPropertyName("hash")] string? Hash = null,
    [property: JsonPropertyName("replicas")] int? Replicas = null,
    [property: JsonPropertyName("labels")] Dictionary<string, string>? Labels = null,
    [property: JsonPropertyName("config")] Dictionary<string, string>? Config = null,
    [property: JsonPropertyName("allowShadowing")] bool? AllowShadowing = null);
