using System.Text.Json;

namespace Wafer.Runtime.Capabilities;

/// <summary>One capability: the operations it serves (docs/abi.md §3.1) and how it runs them.</summary>
public interface IHostCapability
{
    IReadOnlyList<string> Operations { get; }

    /// <summary>
    /// Runs <paramref name="operation"/> and returns the UTF-8 JSON response. Expected failures throw
    /// <see cref="CapabilityException"/>; blocking work ends by <see cref="CapabilityCall.Remaining"/>.
    /// </summary>
    byte[] Invoke(string operation, JsonElement request, CapabilityCall call);
}
