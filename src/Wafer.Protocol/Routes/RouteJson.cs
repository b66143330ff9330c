using System.Text.Json;

namespace Wafer.Protocol.Routes;

/// <summary>The JSON form of <see cref="RouteDocument"/> on <c>GET /api/routes</c> (camelCase).</summary>
public static class RouteJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
