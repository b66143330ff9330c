namespace Wafer.Protocol.V1;

/// <summary>A message was refused; the message says what is wrong with it.</summary>
/// <param name="messageId">The envelope id of the refused message when it could be read (the request id an <c>error</c> event refers to).</param>
public sealed class ProtocolException(string message, string? messageId = null) : Exception(message)
{
    public string? MessageId { get; } = messageId;
}
