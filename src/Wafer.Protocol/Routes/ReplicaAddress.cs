namespace Wafer.Protocol.Routes;

/// <summary>
/// A runtime serving a replica: its id, its name (shown in <c>X-Wafer-Runtime</c>), its base URL, and the URL of its
/// HTTP/2 cleartext listener for function calls, if it announced one.
/// </summary>
public sealed record ReplicaAddress(string Runtime, string Name, string Url, string? H2cUrl = null);
