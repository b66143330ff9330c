using System.Text.Json;

namespace Wafer.Runtime.Capabilities.Config;

/// <summary>
/// <c>config.get</c>: a non-secret value from the manifest's <c>config</c>, or null. Never reads the host's
/// environment, so a guest cannot probe for host variables.
/// </summary>
internal sealed class ConfigCapability : IHostCapability
{
    public const string Operation = "config.get";

    public IReadOnlyList<string> Operations { get; } = [Operation];

    public byte[] Invoke(string operation, JsonElement request, CapabilityCall call)
    {
        CapabilityRequest.OnlyFields(request, Operation, "key");
        var key = CapabilityRequest.String(request, "key", Operation);
        var value = call.Plugin.Manifest.Config.TryGetValue(key, out var found) ? found : null;
        return JsonSerializer.SerializeToUtf8Bytes(new { value });
    }
}
