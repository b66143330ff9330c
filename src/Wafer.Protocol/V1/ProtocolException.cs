namespace Wafer.Protocol.V1;

/// <summary>A message was refused; the message says what is wrong with it.</summary>
public sealed class ProtocolException(string message) : Exception(message);
