using System.Text.Json;
using Wafer.Runtime.Capabilities.Secrets;

namespace Wafer.Runtime.Modus.Host;

/// <summary>
/// <c>modus_secrets.getSecretValue(name)</c>: the app secret <c>MODUS_APP_&lt;NAME&gt;</c> (or the older
/// <c>HYPERMODE_APP_</c>) from the environment or <c>.env</c>; a missing one is null, and the guest's SDK throws.
/// The value is remembered for the call so it is scrubbed from whatever leaves the host.
/// </summary>
internal sealed class SecretsHostModule(SecretStore store) : IModusHostModule
{
    public IReadOnlyDictionary<string, ModusHostFunction> Functions => new Dictionary<string, ModusHostFunction>
    {
        ["modus_secrets.getSecretValue"] = GetSecretValue,
    };

    private byte[]? GetSecretValue(ModusHostCall call, JsonElement[] arguments)
    {
        var name = ModusJson.String(arguments, 0) ?? "";
        var normalized = name.ToUpperInvariant().Replace('-', '_');
        foreach (var variable in new[] { "MODUS_APP_" + name, "MODUS_APP_" + normalized, "HYPERMODE_APP_" + normalized })
        {
            if (store.Get(variable) is { } value)
            {
                call.Capabilities.AddSecret(value);
                return ModusJson.Of(value);
            }
        }

        throw new ModusHostException($"{call.Function}: secret '{name}' is not set: set MODUS_APP_{normalized} or add it to {SecretStore.FileName}");
    }
}
