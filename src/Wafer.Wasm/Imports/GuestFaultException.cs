namespace Wafer.Wasm.Imports;

/// <summary>
/// Thrown by a host import to end the call (Wasmtime turns it into a trap). The cause is already recorded in
/// <see cref="CallState"/>; this type never leaves the project.
/// </summary>
internal sealed class GuestFaultException(string message) : Exception(message);
