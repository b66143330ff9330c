namespace Wafer.Protocol.Metadata;

/// <summary>A module's <c>wafer.meta</c> section is missing or invalid; the message says where and why.</summary>
public sealed class MetadataException(string message) : Exception(message);
