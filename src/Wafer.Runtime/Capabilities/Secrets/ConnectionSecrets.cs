using Wafer.Protocol.Manifest;

namespace Wafer.Runtime.Capabilities.Secrets;

/// <summary>Fills a connection's <c>{{NAME}}</c> placeholders at call time, remembering the values for scrubbing.</summary>
internal sealed class ConnectionSecrets(SecretStore store)
{
    /// <summary>
    /// The template with every placeholder filled. A missing secret is a <see cref="CapabilityException"/> that
    /// names the variable to set, never a value.
    /// </summary>
    public string Fill(string template, ConnectionSpec connection, CapabilityCall call, string operation) =>
        SecretTemplate.Fill(template, name =>
        {
            foreach (var candidate in SecretVariables.For(call.Plugin.Manifest, connection, name))
            {
                if (store.Get(candidate) is { } value)
                {
                    call.AddSecret(value);
                    return value;
                }
            }

            var variable = SecretTemplate.VariableName(call.Plugin.Manifest.SecretPrefixes[0], connection.Name, name);
            throw new CapabilityException(
                $"{operation}: connection '{connection.Name}' needs secret {name}: set {variable} or add it to {SecretStore.FileName}");
        });

    /// <summary>Fills every value of a connection's headers or query parameters.</summary>
    public KeyValuePair<string, string>[] FillEach(ManifestMap<string> headers, ConnectionSpec connection, CapabilityCall call, string operation) =>
        headers.Select(h => KeyValuePair.Create(h.Key, Fill(h.Value, connection, call, operation))).ToArray();
}
