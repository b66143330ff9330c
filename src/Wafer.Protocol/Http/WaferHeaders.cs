namespace Wafer.Protocol.Http;

/// <summary>The HTTP headers Wafer's servers own: runtimes and gateways set them, a guest's handler never does.</summary>
public static class WaferHeaders
{
    /// <summary>Every header Wafer owns starts with this.</summary>
    public const string Prefix = "X-Wafer-";

    /// <summary>The id of the call that answered, the key of its log (docs/logs.md).</summary>
    public const string CallId = "X-Wafer-Call-Id";

    /// <summary>The runtime a gateway sent the request to.</summary>
    public const string Runtime = "X-Wafer-Runtime";

    /// <summary>True when <paramref name="name"/> is one of Wafer's headers.</summary>
    public static bool IsOwned(string name) => name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);
}
