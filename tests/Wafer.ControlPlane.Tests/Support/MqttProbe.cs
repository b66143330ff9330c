using System.Buffers;
using System.Collections.Concurrent;
using MQTTnet;
using MQTTnet.Protocol;
using Wafer.Tests.Shared;

namespace Wafer.ControlPlane.Tests.Support;

/// <summary>A plain MQTT client for tests: publishes anything (hostile bytes included) and records what it receives.</summary>
public sealed class MqttProbe : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();

    private MqttProbe()
    {
        _client.ApplicationMessageReceivedAsync += e =>
        {
            Received.Enqueue((e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray(), e.ApplicationMessage.Retain));
            return Task.CompletedTask;
        };
    }

    public ConcurrentQueue<(string Topic, byte[] Payload, bool Retained)> Received { get; } = new();

    public static async Task<MqttProbe> ConnectAsync(string brokerUrl, Action<MqttClientOptionsBuilder>? configure = null, params string[] subscriptions)
    {
        var probe = new MqttProbe();
        var uri = new Uri(brokerUrl);
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(uri.Host, uri.Port)
            .WithClientId("probe-" + Guid.NewGuid().ToString("N")[..8])
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500);
        if (uri.UserInfo.Split(':', 2) is [var user, var password] && user.Length > 0)
        {
            builder = builder.WithCredentials(Uri.UnescapeDataString(user), Uri.UnescapeDataString(password));
        }

        configure?.Invoke(builder);
        var result = await probe._client.ConnectAsync(builder.Build());
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            probe._client.Dispose();
            throw new InvalidOperationException($"the broker refused the connection: {result.ResultCode}: {result.ReasonString}");
        }
        foreach (var topic in subscriptions)
        {
            await probe._client.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce);
        }

        return probe;
    }

    public Task<MqttClientPublishResult> PublishAsync(string topic, byte[] payload, bool retain = false, string? signature = null)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic).WithPayload(payload).WithRetainFlag(retain).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (signature is not null)
        {
            message.WithUserProperty(MessageSignature.UserProperty, new ReadOnlyMemory<byte>(System.Text.Encoding.ASCII.GetBytes(signature)));
        }

        return _client.PublishAsync(message.Build());
    }

    public Task<MqttClientPublishResult> PublishAsync(string topic, string type, IMessageBody body, bool retain = false) => PublishAsync(topic, MessageCodec.Encode(type, body), retain);

    /// <summary>Subscribes to <paramref name="filter"/>; the result carries the broker's reason code.</summary>
    public Task<MqttClientSubscribeResult> SubscribeAsync(string filter) => _client.SubscribeAsync(filter, MqttQualityOfServiceLevel.AtLeastOnce);

    /// <summary>Drops the connection without a DISCONNECT packet, as a process that dies does: the broker sends the will.</summary>
    public void Crash() => _client.Dispose();

    /// <summary>Waits for a message on <paramref name="topic"/> whose payload satisfies <paramref name="match"/>.</summary>
    public async Task<byte[]> WaitForAsync(string topic, Func<byte[], bool> match, string what, TimeSpan? within = null)
    {
        byte[]? found = null;
        await Eventually.TrueAsync(() =>
        {
            found = Received.FirstOrDefault(m => m.Topic == topic && match(m.Payload)).Payload;
            return found is not null;
        }, what, within);
        return found!;
    }

    /// <summary>Waits for an <c>error</c> from the orchestrator about <paramref name="topic"/> and returns its body.</summary>
    public async Task<ErrorBody> WaitForErrorAsync(string topic, string reasonPart)
    {
        var payload = await WaitForAsync(Topics.Default.OrchestratorErrors, p =>
            MessageCodec.Decode(Topics.Default.OrchestratorErrors, p).Body is ErrorBody e && e.Topic == topic && e.Reason.Contains(reasonPart, StringComparison.Ordinal),
            $"an error about {topic} mentioning '{reasonPart}'");
        return (ErrorBody)MessageCodec.Decode(Topics.Default.OrchestratorErrors, payload).Body;
    }

    public Task DisconnectAsync() => _client.DisconnectAsync();

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_client.IsConnected)
            {
                await _client.DisconnectAsync();
            }
        }
        catch (ObjectDisposedException)
        {
        }

        _client.Dispose();
    }
}
