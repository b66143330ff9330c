namespace Wafer.Runtime.Capabilities;

/// <summary>
/// An expected failure of a host capability (denied URL, missing secret, bad request, timeout): becomes the
/// guest's error text. The message starts with the operation and must not hold a secret value.
/// </summary>
internal sealed class CapabilityException(string message) : Exception(message);
