using System.Text;

namespace Wafer.Wasm;

/// <summary>
/// The answer to one <c>wafer.host_call</c> (docs/abi.md §3.1): UTF-8 JSON on success, UTF-8 error text on
/// failure. A failure is a value the guest decides about, not a trap.
/// </summary>
public readonly record struct HostCallResult(bool Succeeded, byte[] Payload)
{
    public static HostCallResult Success(byte[] json) => new(true, json);

    public static HostCallResult Failure(string message) => new(false, Encoding.UTF8.GetBytes(message));

    /// <summary>The error text of a failure (for tests and logs).</summary>
    public string? Error => Succeeded ? null : Encoding.UTF8.GetString(Payload);
}
