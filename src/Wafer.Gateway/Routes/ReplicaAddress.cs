namespace Wafer.Gateway.Routes;

/// <summary>A runtime serving a replica: its id, its name (shown in <c>X-Wafer-Runtime</c>) and its base URL.</summary>
public sealed record ReplicaAddress(string Runtime, string Name, string Url);
