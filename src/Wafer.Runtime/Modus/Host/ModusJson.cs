using System.Text.Json;

namespace Wafer.Runtime.Modus.Host;

/// <summary>Small helpers for host functions: reading their decoded arguments and writing results as JSON.</summary>
internal static class ModusJson
{
    public static string? String(JsonElement[] arguments, int index) =>
        index < arguments.Length && arguments[index].ValueKind == JsonValueKind.String ? arguments[index].GetString() : null;

    public static byte[] Of(string? value) => JsonSerializer.SerializeToUtf8Bytes(value);

    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.ToArray();
    }
}
