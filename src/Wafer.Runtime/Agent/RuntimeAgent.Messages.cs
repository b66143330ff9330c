using System.Buffers;
using System.Text;
using MQTTnet;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using Wafer.Protocol.V1;

namespace Wafer.Runtime.Agent;

/// <summary>What goes over the broker: keepalives, the inbox of received messages, and publishing status, announce and events.</summary>
public sealed partial class RuntimeAgent
{
    private async Task KeepaliveLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.KeepaliveInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (_client.IsConnected)
                {
                    var id = _identity!.Id;
                    await PublishAsync(_topics.Keepalive(id), MessageTypes.Keepalive, new KeepaliveBody(id, _load.Sample(), _modules.States()),
                        retain: false, MqttQualityOfServiceLevel.AtMostOnce);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var signature = e.ApplicationMessage.UserProperties?.FirstOrDefault(p => p.Name == MessageSignature.UserProperty)?.ReadValueAsString();
        var message = (e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray(), signature);
        if (!_inbox.Writer.TryWrite(message))
        {
            MessageDropped(_logger, message.Topic);
        }

        return Task.CompletedTask;
    }

    private async Task InboxLoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (topic, payload, signature) in _inbox.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await HandleAsync(topic, payload, signature, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    CommandFailed(_logger, topic, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private Task<bool> PublishStatusAsync()
    {
        var id = _identity!.Id;
        return PublishAsync(_topics.Status(id), MessageTypes.Status, new StatusBody(id, _draining ? StatusBody.Draining : StatusBody.Online), retain: true);
    }

    private Task<bool> AnnounceAsync()
    {
        var id = _identity!.Id;
        var announce = new AnnounceBody(id, Name!, _options.Labels, LoadSampler.Capacity(_options.MaxModules), Kinds, Version, Url!,
            (int)Math.Max(1, Math.Ceiling(_options.KeepaliveInterval.TotalSeconds)), _modules.Reports(), H2cUrl, _willId);
        return PublishAsync(_topics.Announce(id), MessageTypes.Announce, announce, retain: true);
    }

    /// <summary>Publishes an event; one that cannot go out now waits for the next connection.</summary>
    private async Task PublishEventAsync(string type, IMessageBody body)
    {
        if (!await PublishAsync(_topics.Events(_identity!.Id), type, body, retain: false))
        {
            _outbox.Enqueue((type, body));
            while (_outbox.Count > OutboxLimit && _outbox.TryDequeue(out _))
            {
            }
        }
    }

    private async Task<bool> PublishAsync(string topic, string type, IMessageBody body, bool retain,
        MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtLeastOnce)
    {
        if (!retain)
        {
            return await EncodeAndPublishAsync(topic, type, body, retain, qos);
        }

        // The orchestrator refuses a status or announce sent before the newest it accepted (a replayed old one): the
        // connection's announce and one answering the orchestrator's "online" must not overtake each other between
        // being stamped and being sent, so retained messages are stamped and sent one at a time.
        await _retainedInOrder.WaitAsync();
        try
        {
            return await EncodeAndPublishAsync(topic, type, body, retain, qos);
        }
        finally
        {
            _retainedInOrder.Release();
        }
    }

    private async Task<bool> EncodeAndPublishAsync(string topic, string type, IMessageBody body, bool retain, MqttQualityOfServiceLevel qos)
    {
        if (!_client.IsConnected)
        {
            return false;
        }

        var payload = MessageCodec.Encode(type, body);
        var builder = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(qos)
            .WithRetainFlag(retain);
        if (_keys is not null)
        {
            builder.WithUserProperty(MessageSignature.UserProperty, new ReadOnlyMemory<byte>(Encoding.ASCII.GetBytes(_keys.Sign(topic, payload))));
        }

        var message = builder.Build();
        try
        {
            using var timeout = new CancellationTokenSource(PublishTimeout);
            var result = await _client.PublishAsync(message, timeout.Token);
            return result.IsSuccess;
        }
        catch (Exception ex)
        {
            PublishFailed(_logger, type, topic, ex.Message);
            return false;
        }
    }
}
