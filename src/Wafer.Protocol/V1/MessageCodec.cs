using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Wafer.Protocol.V1;

/// <summary>Encodes and strictly decodes protocol version 1 messages (docs/protocol.md, "Envelope").</summary>
public static class MessageCodec
{
    public const int MaxMessageBytes = 1024 * 1024;

    /// <summary>RFC 3339 date-times with an explicit offset (<c>Z</c> or <c>±hh:mm</c>), with or without a fraction.</summary>
    private static readonly string[] SentAtFormats = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        NumberHandling = JsonNumberHandling.Strict,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static byte[] Encode(Envelope envelope) => JsonSerializer.SerializeToUtf8Bytes(new Wire
    {
        V = envelope.V,
        Type = envelope.Type,
        Id = envelope.Id,
        SentAt = envelope.SentAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        Body = JsonSerializer.SerializeToElement(envelope.Body, envelope.Body.GetType(), Json),
    }, Json);

    public static byte[] Encode(string type, IMessageBody body) => Encode(Envelope.Create(type, body));

    /// <summary>
    /// Decodes a message received on <paramref name="topic"/>; throws <see cref="ProtocolException"/> naming the
    /// problem when the message is malformed, of another version, or not allowed on that topic.
    /// </summary>
    public static Envelope Decode(string topic, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > MaxMessageBytes)
        {
            throw new ProtocolException($"message of {payload.Length} bytes exceeds the {MaxMessageBytes}-byte limit");
        }

        Wire wire;
        try
        {
            wire = JsonSerializer.Deserialize<Wire>(payload, Json) ?? throw new ProtocolException("message is JSON null");
        }
        catch (JsonException ex)
        {
            throw new ProtocolException($"message is not a valid envelope: {ex.Message}");
        }

        try
        {
            return Decode(topic, wire);
        }
        catch (ProtocolException ex) when (ex.MessageId is null && !string.IsNullOrEmpty(wire.Id))
        {
            throw new ProtocolException(ex.Message, wire.Id);
        }
    }

    private static Envelope Decode(string topic, Wire wire)
    {
        if (wire.V is null)
        {
            throw new ProtocolException("message has no protocol version (v)");
        }

        if (wire.V != Envelope.Version)
        {
            throw new ProtocolException($"unsupported protocol version {wire.V}; this peer speaks version {Envelope.Version}");
        }

        if (string.IsNullOrEmpty(wire.Type) || !MessageTypes.BodyTypes.TryGetValue(wire.Type, out var bodyType))
        {
            throw new ProtocolException($"unknown message type '{wire.Type}'");
        }

        var runtimeId = CheckTopic(topic, wire.Type);
        if (string.IsNullOrEmpty(wire.Id))
        {
            throw new ProtocolException("message has no id");
        }

        if (!DateTimeOffset.TryParseExact(wire.SentAt, SentAtFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var sentAt)
            || !HasOffset(wire.SentAt))
        {
            throw new ProtocolException($"sentAt '{wire.SentAt}' is not an RFC 3339 time");
        }

        if (wire.Body.ValueKind == JsonValueKind.Undefined)
        {
            throw new ProtocolException($"{wire.Type}: body is missing");
        }

        IMessageBody body;
        try
        {
            body = (IMessageBody?)wire.Body.Deserialize(bodyType, Json)
                   ?? throw new ProtocolException($"{wire.Type}: body is missing");
        }
        catch (JsonException ex)
        {
            throw new ProtocolException($"{wire.Type}: invalid body: {ex.Message}");
        }

        if (BodyRules.Check(body) is { } problem)
        {
            throw new ProtocolException($"{wire.Type}: {problem}");
        }

        if (runtimeId is not null && RuntimeIdOf(body) is { } bodyRuntime && bodyRuntime != runtimeId)
        {
            throw new ProtocolException($"{wire.Type}: body names runtime '{bodyRuntime}' but was sent on the topic of runtime '{runtimeId}'");
        }

        return new Envelope(wire.V.Value, wire.Type, wire.Id, sentAt, body);
    }

    private static string? CheckTopic(string topic, string type)
    {
        var orchestratorChannel = Topics.OrchestratorChannelOf(topic);
        if (orchestratorChannel == "status")
        {
            return type == MessageTypes.OrchestratorStatus
                ? null
                : throw new ProtocolException($"type '{type}' is not allowed on {topic}");
        }

        if (orchestratorChannel == "errors")
        {
            return type == MessageTypes.Error ? null : throw new ProtocolException($"type '{type}' is not allowed on {topic}");
        }

        if (!Topics.TryParseAnyRealm(topic, out _, out var runtimeId, out var channel) || !MessageTypes.ByChannel.TryGetValue(channel, out var allowed))
        {
            throw new ProtocolException($"topic '{topic}' is not a protocol version 1 topic");
        }

        return allowed.Contains(type) ? runtimeId : throw new ProtocolException($"type '{type}' is not allowed on the {channel} channel");
    }

    private static bool HasOffset(string time) =>
        time.EndsWith('Z') || (time.Length > 6 && time[^6] is '+' or '-' && time[^3] == ':');

    private static string? RuntimeIdOf(IMessageBody body) => body switch
    {
        AnnounceBody b => b.RuntimeId,
        StatusBody b => b.RuntimeId,
        KeepaliveBody b => b.RuntimeId,
        FatalBody b => b.RuntimeId,
        _ => null,
    };

    private sealed class Wire
    {
        public int? V { get; set; }

        public string? Type { get; set; }

        public string? Id { get; set; }

        public string? SentAt { get; set; }

        public JsonElement Body { get; set; }
    }
}
