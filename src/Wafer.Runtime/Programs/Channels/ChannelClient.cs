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
/// The MQTT client of program modules' channels: one connection of its own to the broker (a
/// <see cref="BrokerConnection"/>, made when the first module with channels starts, again with backoff when lost), subscribed to the topics of every channel read, and
/// one queue of at most <see cref="MaxOutgoing"/> messages the modules wrote (when it is full, a new message is
/// dropped and counted: a module writing faster than the broker takes is not allowed to grow the runtime's memory).
/// Messages carry the writing channel in a user property, so that an <c>rw</c> channel does not read what it wrote.
/// </summary>
public sealed partial class ChannelClient : IAsyncDisposable
{
    public const int MaxOutgoing = 1024;
    public const string WriterProperty = "wafer-channel";

    private readonly Func<TriggerBroker?> _broker;
    private readonly ILogger<ChannelClient> _logger;
    private readonly Channel<(string Topic, byte[] Payload, string Writer)> _outgoing;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _wanted = new(StringComparer.Ordinal);
    private volatile ModuleChannel[] _readers = [];
    private volatile BrokerConnection? _connection;
    private Task? _publishing;
    private long _dropped;

    /// <param name="broker">The broker to use, asked when the first module with channels starts; null when there is none.</param>
    public ChannelClient(Func<TriggerBroker?> broker, ILogger<ChannelClient> logger)
    {
        _broker = broker;
        _logger = logger;
        _outgoing = Channel.CreateBounded<(string, byte[], string)>(
            new BoundedChannelOptions(MaxOutgoing) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
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

        _connection?.Wake();
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

        _connection?.Wake();
        return new ModuleChannel(new ChannelBody(topic, "w", topic), $"{moduleId}/output", Publish);
    }

    /// <summary>Connects and starts publishing on the first use; the caller holds <see cref="_lock"/>.</summary>
    private void StartLoops(TriggerBroker broker)
    {
        if (_connection is not null)
        {
            return;
        }

        var connection = new BrokerConnection(
            broker,
            new BrokerConnectionEvents(
                (address, clientId) => Connected(_logger, address, clientId),
                (address, reason, delayMs) => ConnectFailed(_logger, address, reason, delayMs),
                (topic, code) => SubscribeRefused(_logger, topic, code)),
            WantedTopics);
        connection.Client.ApplicationMessageReceivedAsync += OnMessageAsync;
        connection.Start();
        _connection = connection;
        _publishing = Task.Run(() => PublishLoopAsync(connection.Client, _stopping.Token));
    }

    private IReadOnlyCollection<string> WantedTopics()
    {
        lock (_lock)
        {
            return [.. _wanted.Keys];
        }
    }

    /// <summary>True once every topic the bound channels read is subscribed (for tests and readiness).</summary>
    public bool IsSubscribed(IEnumerable<string> topics) => _connection?.IsSubscribed(topics) ?? !topics.Any();

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

        _connection?.Wake();
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

    private async Task PublishLoopAsync(IMqttClient client, CancellationToken stopping)
    {
        try
        {
            await foreach (var (topic, payload, writer) in _outgoing.Reader.ReadAllAsync(stopping))
            {
                while (true)
                {
                    try
                    {
                        if (client.IsConnected)
                        {
                            await client.PublishAsync(new MqttApplicationMessageBuilder()
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
        if (_publishing is { } publishing)
        {
            await publishing.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        if (_connection is { } connection)
        {
            await connection.DisposeAsync();
        }

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
