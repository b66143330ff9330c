using System.Text.Json;

namespace Wafer.Protocol.Metadata;

/// <summary>
/// Writes metadata as <c>wafer.meta</c> JSON (docs/abi.md §1), the form <see cref="MetadataReader"/> reads: how a
/// module whose metadata comes in another format (a Modus module) travels to gateways in the fleet's routes.
/// </summary>
public static class MetadataWriter
{
    public static byte[] Write(PluginMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("abi", metadata.Abi);
            writer.WriteString("sdk", metadata.Sdk);
            writer.WriteStartArray("functions");
            foreach (var function in metadata.Functions)
            {
                writer.WriteStartObject();
                writer.WriteString("name", function.Name);
                Doc(writer, function.Doc);
                writer.WriteStartArray("parameters");
                foreach (var parameter in function.Parameters)
                {
                    Member(writer, parameter.Name, parameter.Type, parameter.Doc, parameter.Default);
                }

                writer.WriteEndArray();
                writer.WriteString("result", function.Result.ToString());
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("types");
            foreach (var type in metadata.Types)
            {
                writer.WriteStartObject();
                writer.WriteString("name", type.Name);
                Doc(writer, type.Doc);
                writer.WriteStartArray("fields");
                foreach (var field in type.Fields)
                {
                    Member(writer, field.Name, field.Type, field.Doc);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void Member(Utf8JsonWriter writer, string name, WasmType type, string? doc, JsonElement? fallback = null)
    {
        writer.WriteStartObject();
        writer.WriteString("name", name);
        writer.WriteString("type", type.ToString());
        Doc(writer, doc);
        if (fallback is { } value)
        {
            writer.WritePropertyName("default");
            value.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    private static void Doc(Utf8JsonWriter writer, string? doc)
    {
        if (doc is not null)
        {
            writer.WriteString("doc", doc);
        }
    }
}
