using System.Text.Json;

namespace Wafer.Protocol.Routes;

/// <summary>One deployment in a <see cref="RouteDocument"/>; on its runtimes its plugin is named <see cref="Name"/>.</summary>
/// <param name="Metadata">The plugin's <c>wafer.meta</c> JSON (functions and types); null for command plugins.</param>
/// <param name="Routes">Manifest <c>routes</c> (HTTP handlers); empty for function plugins.</param>
/// <param name="Replicas">Runtimes serving it now, in a stable order.</param>
public sealed record DeploymentRoutes(
    string Name,
    string Hash,
    JsonElement? Metadata,
    IReadOnlyList<HandlerRouteSpec> Routes,
    IReadOnlyList<ReplicaAddress> Replicas);
