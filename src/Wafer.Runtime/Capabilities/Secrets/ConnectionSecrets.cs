using Wafer.Protocol.Manifest;

namespace Wafer.Runtime.Capabilities.Secrets;

/// <summary>Fills a connection's <c>{{NAME}}</c> placeholders at call time, remembering the values for scrubbing.</summary>
public sealed class ConnectionSecrets(SecretStore store)
{
    /// <summary>
    /// The template with every placeholder filled. A missing secret is a <see cref="CapabilityException"/> that
    /// names the variable to set, never a value.
    /// </summary>
    public string Fill(string template, ConnectionSpec connection, CapabilityCall call, string operation) =>
        SecretTemplate.Fill(template, name =>
        {
            var variable = SecretTemplate.VariableName(connection.Name, name);
            var value = store.Get(variable) ?? throw new CapabilityException(
                $"{operation}: connection '{connection.Name}' needs secret {name}: set {variable} or add it to {SecretStore.FileName}");
            call.AddSecret(value);
            return value;
        });

    /// <summary>Fills every header value of a connection.</summary>
    public KeyValuePair<string, string>[] Headers(ManifestMap<string> headers, ConnectionSpec connection, CapabilityCall call, string operation) =>
        headers.Select(h => KeyValuePair.Create(h.Key, Fill(h.Value, connection, call, operation))).ToArray();
}
