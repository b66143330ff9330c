using System.Buffers;
using MQTTnet;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using Wafer.Protocol.V1;
using Wafer.Tests.Shared;

namespace Wafer.Runtime.Tests.Agent;

/// <summary>
/// The orchestrator's side of the protocol, reduced to what a test needs: it sees everything runtimes publish (with
/// the retain flag as published), sends commands and its own status, and waits for messages with a deadline.
/// </summary>
public sealed class FakeOrchestrator : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly List<Received> _received = [];
    private readonly TestBroker _broker;

    private FakeOrchestrator(TestBroker broker, Topics topics)
    {
        _broker = broker;
        Topics = topics;
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var topic = e.ApplicationMessage.Topic;
            var payload = e.ApplicationMessage.Payload.ToArray();
            Envelope? envelope = null;
            string? refusal = null;
            try
            {
                envelope = MessageCodec.Decode(topic, payload);
            }
            catch (ProtocolException ex)
            {
                refusal = ex.Message;
            }

            var signature = e.ApplicationMessage.UserProperties?.FirstOrDefault(p => p.Name == MessageSignature.UserProperty)?.ReadValueAsString();
            lock (_received)
            {
                _received.Add(new Received(topic, envelope, refusal, e.ApplicationMessage.Retain, payload, signature));
            }

            return Task.CompletedTask;
        };
    }

    public sealed record Received(string Topic, Envelope? Message, string? Refusal, bool Retain, byte[] Payload, string? Signature)
    {
        public string? Type => Message?.Type;

        public T Body<T>() => (T)Message!.Body;
    }

    public IReadOnlyList<Received> All
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>The realm's topics it listens and sends on.</summary>
    public Topics Topics { get; }

    public static async Task<FakeOrchestrator> ConnectAsync(TestBroker broker, Topics? topics = null)
    {
        var orchestrator = new FakeOrchestrator(broker, topics ?? Topics.Default);
        await orchestrator.ReconnectAsync();
        return orchestrator;
    }

    /// <summary>(Re)connects and subscribes to every runtime topic; retained messages arrive again.</summary>
    public async Task ReconnectAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        await _client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", _broker.Port)
            .WithClientId("fake-orchestrator-" + Guid.NewGuid().ToString("N")[..8])
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .Build());
        await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(Topics.AllRuntimes, MqttQualityOfServiceLevel.AtLeastOnce, noLocal: false, retainAsPublished: true,
                MqttRetainHandling.SendAtSubscribe)
            .Build());
    }

    public void Clear()
    {
        lock (_received)
        {
            _received.Clear();
        }
    }

    /// <summary>Waits for a message from <paramref name="runtimeId"/> of <paramref name="type"/> that matches; returns it.</summary>
    public async Task<Received> WaitForAsync(string runtimeId, string type, Func<Received, bool>? match = null, TimeSpan? timeout = null)
    {
        Received? found = null;
        await Eventually.TrueAsync(
            () => (found = All.FirstOrDefault(r => r.Type == type && r.Topic.Contains(runtimeId, StringComparison.Ordinal) && (match?.Invoke(r) ?? true))) is not null, $"a {type} message from runtime {runtimeId}",
            timeout ?? Deadline);
        return found!;
    }

    /// <summary>Waits for the event answering request <paramref name="requestId"/>.</summary>
    public Task<Received> AnswerToAsync(string runtimeId, string requestId, string type) =>
        WaitForAsync(runtimeId, type, r => RequestIdOf(r.Message!.Body) == requestId);

    /// <summary>The fleet token messages are signed with, as the orchestrator signs them; null sends them unsigned.</summary>
    public string? SigningToken { get; set; }

    /// <summary>Sends a command (signed with <see cref="SigningToken"/> when set); returns its request id.</summary>
    public async Task<string> SendAsync(string runtimeId, string type, IMessageBody body)
    {
        var envelope = Envelope.Create(type, body);
        var payload = MessageCodec.Encode(envelope);
        await PublishAsync(Topics.Commands(runtimeId), payload, retain: false, Sign(Topics.Commands(runtimeId), payload));
        return envelope.Id;
    }

    /// <summary>The signature the orchestrator would put on <paramref name="payload"/> on <paramref name="topic"/>; null without a token.</summary>
    public string? Sign(string topic, byte[] payload) =>
        SigningToken is null ? null : MessageSignature.Compute(MessageSignature.KeyFor(SigningToken, topic)!, topic, payload);

    public async Task PublishAsync(string topic, byte[] payload, bool retain, string? signature = null)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain);
        if (signature is not null)
        {
            message.WithUserProperty(MessageSignature.UserProperty, System.Text.Encoding.ASCII.GetBytes(signature));
        }

        await _client.PublishAsync(message.Build());
    }

    public Task PublishStatusAsync(string state, bool signed = true)
    {
        var payload = MessageCodec.Encode(MessageTypes.OrchestratorStatus, new OrchestratorStatusBody(state, "http://127.0.0.1:1", SigningToken is not null));
        return PublishAsync(Topics.OrchestratorStatus, payload, retain: true, signed ? Sign(Topics.OrchestratorStatus, payload) : null);
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }

    private static string? RequestIdOf(IMessageBody body) => body switch
    {
        ModuleRunningBody b => b.RequestId,
        ModuleFailedBody b => b.RequestId,
        ModuleDeletedBody b => b.RequestId,
        ErrorBody b => b.RequestId,
        _ => null,
    };
}
