using Wafer.Protocol.Calls;

namespace Wafer.Wasm;

/// <summary>
/// The outcome of one call: a value, never an exception, for every way a guest can fail.
/// </summary>
/// <param name="Status">How the call ended.</param>
/// <param name="Output">The bytes the guest passed to <c>wafer.result</c>: UTF-8 JSON when <see cref="CallStatus.Ok"/>
/// (<c>null</c> JSON when a void function skipped the call), the raw error bytes on a guest error, otherwise null.</param>
/// <param name="Message">A human-readable cause for every status but <see cref="CallStatus.Ok"/>.</param>
public readonly record struct InvocationResult(CallStatus Status, byte[]? Output, string? Message)
{
    public bool IsOk => Status == CallStatus.Ok;
}
