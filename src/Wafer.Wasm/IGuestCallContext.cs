namespace Wafer.Wasm;

/// <summary>
/// The caller's side of one invocation: receives what the guest logs. The caller owns the call id, plugin and
/// function names; <see cref="WasmModule.Invoke"/> only passes this through to the host imports.
/// </summary>
public interface IGuestCallContext
{
    /// <summary>A line logged by the guest (already cut to 16 KiB). Called on the invoking thread.</summary>
    void Log(GuestLogLevel level, string message);
}
