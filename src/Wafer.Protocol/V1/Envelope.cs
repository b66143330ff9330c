namespace Wafer.Protocol.V1;

/// <summary>One decoded message: the envelope fields and its typed body.</summary>
public sealed record Envelope(int V, string Type, string Id, DateTimeOffset SentAt, IMessageBody Body)
{
    public const int Version = 1;

    public static Envelope Create(string type, IMessageBody body) =>
        new(Version, type, Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow, body);
}
