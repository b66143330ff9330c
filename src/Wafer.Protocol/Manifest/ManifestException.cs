namespace Wafer.Protocol.Manifest;

/// <summary>A manifest is invalid; the message names the path in the manifest and what is wrong.</summary>
public sealed class ManifestException(string message) : Exception(message);
