using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;

namespace Wafer.Runtime.Tests.Triggers;

/// <summary>A test's own MQTT 5 client: publishes to trigger topics and collects what comes back on the topics it subscribed to.</summary>
public sealed class MqttProbe : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly ConcurrentQueue<MqttApplicationMessage> _received = new();

    private MqttProbe()
    {
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var m = e.ApplicationMessage;
            _received.Enqueue(new MqttApplicationMessage
            {
                Topic = m.Topic,
                Payload = new System.Buffers.ReadOnlySequence<byte>(m.Payload.ToArray()),
                ContentType = m.ContentType,
                CorrelationData = m.CorrelationData,
                UserProperties = m.UserProperties,
            });
            return Task.CompletedTask;
        };
    }

    public static async Task<MqttProbe> ConnectAsync(string url, params string[] subscriptions)
    {
        var uri = new Uri(url);
        var probe = new MqttProbe();
        var builder = new MqttClientOptionsBuilder().WithTcpServer(uri.Host, uri.Port)
            .WithClientId("trigger-probe-" + Guid.NewGuid().ToString("N")[..8])
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500);
        if (uri.UserInfo.Split(':', 2) is [var user, var password])
        {
            builder = builder.WithCredentials(Uri.UnescapeDataString(user), Uri.UnescapeDataString(password));
        }

        await probe._client.ConnectAsync(builder.Build());
        foreach (var topic in subscriptions)
        {
            await probe._client.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce);
        }

        return probe;
    }

    public IReadOnlyList<MqttApplicationMessage> Received => [.. _received];

    public Task PublishAsync(string topic, byte[] payload, string? responseTopic = null, byte[]? correlation = null)
    {
        var builder = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (responseTopic is not null)
        {
            builder = builder.WithResponseTopic(responseTopic);
        }

        if (correlation is not null)
        {
            builder = builder.WithCorrelationData(correlation);
        }

        return _client.PublishAsync(builder.Build());
    }

    public Task PublishAsync(string topic, string payload, string? responseTopic = null, byte[]? correlation = null) =>
        PublishAsync(topic, Encoding.UTF8.GetBytes(payload), responseTopic, correlation);

    /// <summary>Waits for the <paramref name="count"/>-th message on <paramref name="topic"/> and returns the messages on it so far.</summary>
    public async Task<List<MqttApplicationMessage>> WaitForAsync(string topic, int count, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var on = _received.Where(m => m.Topic == topic).ToList();
            if (on.Count >= count)
            {
                return on;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {within.TotalSeconds:0}s waiting for message {count} on {topic}; got {on.Count}: "
                                           + string.Join(" | ", _received.Select(m => m.Topic + " " + Encoding.UTF8.GetString(m.Payload.ToArray()))));
            }

            await Task.Delay(20);
        }
    }

    public static string Text(MqttApplicationMessage message) => Encoding.UTF8.GetString(message.Payload.ToArray());

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }
}
