using System.Buffers;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using Wafer.Protocol.Manifest;
using Wafer.Protocol.V1;
using Wafer.Triggers;

namespace Wafer.Runtime.Programs.Channels;

/// <summary>
/// The MQTT client of program modules' channels: one connection of its own to the broker (made when the first
/// module with channels starts, again with backoff when lost), subscribed to the topics of every channel read, and
/// one queue of at most <see cref="MaxOutgoing"/> messages the modules wrote (when it is full, a new message is
/// dropped and counted: a module writing faster than the broker takes is not allowed to grow the runtime's memory).
/// Messages carry the writing channel in a user property, so that an <c>rw</c> channel does not read what it wrote.
/// </summary>
public sealed partial class ChannelClient : IAsyncDisposable
{
    public const int MaxOutgoing = 1024;
    public const string WriterProperty = "wafer-channel";

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly Func<TriggerBroker?> _broker;
    private readonly ILogger<ChannelClient> _logger;
    private readonly IMqttClient _client;
    private readonly Channel<(string Topic, byte[] Payload, string Writer)> _outgoing;
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _wanted = new(StringComparer.Ordinal);
    private readonly HashSet<string> _subscribed = new(StringComparer.Ordinal);
    private volatile ModuleChannel[] _readers = [];
    private Task? _loops;
    private long _dropped;

    /// <param name="broker">The broker to use, asked when the first module with channels starts; null when there is none.</param>
    public ChannelClient(Func<TriggerBroker?> broker, ILogger<ChannelClient> logger)
    {
        _broker = broker;
        _logger = logger;
        _outgoing = Channel.CreateBounded<(string, byte[], string)>(
            new BoundedChannelOptions(MaxOutgoing) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client.DisconnectedAsync += _ =>
        {
            _wake.Release();
            return Task.CompletedTask;
        };
    }

    /// <summary>Messages written by modules and dropped because the outgoing queue was full.</summary>
    public long DroppedOutgoing => Interlocked.Read(ref _dropped);

    /// <summary>Binds <paramref name="channels"/> of module <paramref name="moduleId"/> for one run; disposing the result ends them.</summary>
    /// <exception cref="InvalidOperationException">The runtime has no broker.</exception>
    public BoundChannels Bind(string moduleId, IReadOnlyList<ChannelBody> channels)
    {
        var broker = _broker() ?? throw new InvalidOperationException("this runtime has no MQTT broker for channels: join a fleet or start it with --mqtt mqtt://HOST:PORT");
        var run = Guid.NewGuid().ToString("N")[..8];
        var bound = channels.Select((c, i) => new ModuleChannel(c, $"{moduleId}/{run}/{i}", Publish)).ToArray();
        lock (_lock)
        {
            foreach (var channel in bound.Where(c => c.Readable))
            {
                _wanted[channel.Body.Topic] = _wanted.GetValueOrDefault(channel.Body.Topic) + 1;
            }

            _readers = [.. _readers, .. bound.Where(c => c.Readable)];
            StartLoops(broker);
        }

        _wake.Release();
        return new BoundChannels(bound, Unbind);
    }

    /// <summary>
    /// A write-only channel on <paramref name="topic"/> that is no file of the module: how a running module's stdout or
    /// stderr is published, one message per line, through the same bounded queue. Null when the runtime has no broker.
    /// </summary>
    public ModuleChannel? Output(string moduleId, string topic)
    {
        if (_broker() is not { } broker)
        {
            return null;
        }

        lock (_lock)
        {
            StartLoops(broker);
        }

        _wake.Release();
        return new ModuleChannel(new ChannelBody(topic, "w", topic), $"{moduleId}/output", Publish);
    }

    private void StartLoops(TriggerBroker broker) =>
        _loops ??= Task.WhenAll(Task.Run(() => ConnectLoopAsync(broker, _stopping.Token)), Task.Run(() => PublishLoopAsync(_stopping.Token)));

    /// <summary>True once every topic the bound channels read is subscribed (for tests and readiness).</summary>
    public bool IsSubscribed(IEnumerable<string> topics)
    {
        lock (_lock)
        {
            return topics.All(_subscribed.Contains);
        }
    }

    private void Unbind(IReadOnlyList<ModuleChannel> channels)
    {
        lock (_lock)
        {
            foreach (var channel in channels.Where(c => c.Readable))
            {
                channel.End();
                if (--_wanted[channel.Body.Topic] == 0)
                {
                    _wanted.Remove(channel.Body.Topic);
                }
            }

            _readers = [.. _readers.Except(channels)];
        }

        foreach (var channel in channels.Where(c => c.Writable))
        {
            channel.FlushPartialLine();
        }

        _wake.Release();
    }

    private void Publish(ModuleChannel channel, byte[] payload)
    {
        if (!_outgoing.Writer.TryWrite((channel.Body.Topic, payload, channel.Writer)))
        {
            OutgoingDropped(_logger, channel.Body.Topic);
        }
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var message = e.ApplicationMessage;
        var writer = message.UserProperties?.FirstOrDefault(p => p.Name == WriterProperty)?.ReadValueAsString();
        byte[]? payload = null;
        foreach (var channel in _readers)
        {
            if (channel.Writer != writer && MqttTopicRules.Matches(channel.Body.Topic, message.Topic))
            {
                payload ??= message.Payload.ToArray();
                channel.Deliver(payload);
            }
        }

        return Task.CompletedTask;
    }

    private async Task ConnectLoopAsync(TriggerBroker broker, CancellationToken stopping)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (!_client.IsConnected)
                {
                    await ConnectAsync(broker, stopping);
                    backoff = TimeSpan.FromSeconds(1);
                }

                await SubscribeAsync(stopping);
                await _wake.WaitAsync(TimeSpan.FromSeconds(5), stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                ConnectFailed(_logger, broker.ToString(), ex.Message, (int)backoff.TotalMilliseconds);
                await Task.Delay(backoff, stopping).ContinueWith(_ => { }, TaskScheduler.Default);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    private async Task ConnectAsync(TriggerBroker broker, CancellationToken cancellationToken)
    {
        await broker.ConnectAsync(_client, cancellationToken);
        lock (_lock)
        {
            _subscribed.Clear(); // a clean start: the broker kept none
        }

        Connected(_logger, broker.ToString(), broker.ClientId);
    }

    /// <summary>Makes the subscriptions equal to the topics the bound channels read; only the connect loop calls it.</summary>
    private async Task SubscribeAsync(CancellationToken cancellationToken)
    {
        string[] add, remove;
        lock (_lock)
        {
            add = [.. _wanted.Keys.Where(t => !_subscribed.Contains(t))];
            remove = [.. _subscribed.Where(t => !_wanted.ContainsKey(t))];
        }

        foreach (var topic in add)
        {
            var result = await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(f => f.WithTopic(topic).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
                .Build(), cancellationToken);
            var code = result.Items.First().ResultCode;
            if (code > MqttClientSubscribeResultCode.GrantedQoS2)
            {
                SubscribeRefused(_logger, topic, code.ToString());
                continue;
            }

            lock (_lock)
            {
                _subscribed.Add(topic);
            }
        }

        foreach (var topic in remove)
        {
            await _client.UnsubscribeAsync(new MqttClientUnsubscribeOptionsBuilder().WithTopicFilter(topic).Build(), cancellationToken);
            lock (_lock)
            {
                _subscribed.Remove(topic);
            }
        }
    }

    private async Task PublishLoopAsync(CancellationToken stopping)
    {
        try
        {
            await foreach (var (topic, payload, writer) in _outgoing.Reader.ReadAllAsync(stopping))
            {
                while (true)
                {
                    try
                    {
                        if (_client.IsConnected)
                        {
                            await _client.PublishAsync(new MqttApplicationMessageBuilder()
                                .WithTopic(topic)
                                .WithPayload(payload)
                                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                                .WithUserProperty(WriterProperty, System.Text.Encoding.UTF8.GetBytes(writer).AsMemory())
                                .Build(), stopping);
                            break;
                        }
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        PublishFailed(_logger, topic, ex.Message);
                    }

                    await Task.Delay(100, stopping); // not connected: the message waits, in order
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_loops is { } loops)
        {
            await loops.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        if (_client.IsConnected)
        {
            await _client.DisconnectAsync().ContinueWith(_ => { }, TaskScheduler.Default);
        }

        _client.Dispose();
        _stopping.Dispose();
    }

    [LoggerMessage(EventId = 2790, EventName = "ChannelBrokerConnected", Level = LogLevel.Information, Message = "Channels connected to the broker {Broker} as {ClientId}")]
    private static partial void Connected(ILogger logger, string broker, string clientId);

    [LoggerMessage(EventId = 2791, EventName = "ChannelBrokerUnreachable", Level = LogLevel.Warning,
        Message = "Channels could not use the broker {Broker}: {Reason}; trying again in {BackoffMs} ms")]
    private static partial void ConnectFailed(ILogger logger, string broker, string reason, int backoffMs);

    [LoggerMessage(EventId = 2792, EventName = "ChannelSubscribeRefused", Level = LogLevel.Warning, Message = "The broker refused the channel topic {Topic}: {Code}")]
    private static partial void SubscribeRefused(ILogger logger, string topic, string code);

    [LoggerMessage(EventId = 2793, EventName = "ChannelOutgoingDropped", Level = LogLevel.Warning,
        Message = "A message a module wrote on {Topic} was dropped: the channels' outgoing queue is full")]
    private static partial void OutgoingDropped(ILogger logger, string topic);

    [LoggerMessage(EventId = 2794, EventName = "ChannelPublishFailed", Level = LogLevel.Warning, Message = "Could not publish a channel message on {Topic}: {Reason}")]
    private static partial void PublishFailed(ILogger logger, string topic, string reason);
}
