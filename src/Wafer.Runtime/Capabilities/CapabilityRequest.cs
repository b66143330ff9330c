using System.Text.Json;

namespace Wafer.Runtime.Capabilities;

/// <summary>Typed reads of a capability request's fields; a wrong or missing field is a <see cref="CapabilityException"/>.</summary>
internal static class CapabilityRequest
{
    public static string String(JsonElement request, string field, string operation) =>
        OptionalString(request, field, operation) ?? throw new CapabilityException($"{operation}: \"{field}\" is missing");

    public static string? OptionalString(JsonElement request, string field, string operation)
    {
        if (!request.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new CapabilityException($"{operation}: \"{field}\" must be a string");
    }

    /// <summary>The field, or null when absent or JSON null.</summary>
    public static JsonElement? Optional(JsonElement request, string field) =>
        request.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static void OnlyFields(JsonElement request, string operation, params string[] fields)
    {
        foreach (var property in request.EnumerateObject())
        {
            if (Array.IndexOf(fields, property.Name) < 0)
            {
                throw new CapabilityException($"{operation}: unknown field \"{property.Name}\" (expected {string.Join(", ", fields)})");
            }
        }
    }
}
