namespace Wafer.Wasm;

/// <summary>The level of a line a guest logs through <c>wafer.log</c> (docs/abi.md §3).</summary>
public enum GuestLogLevel
{
    Debug,
    Info,
    Warning,
    Error,
}
