using System.Collections.Concurrent;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Protocol;
using Wafer.Protocol.V1;

namespace Wafer.Bench.Fleet;

/// <summary>
/// One simulated runtime: a light MQTT client speaking protocol version 1 (docs/protocol.md). It announces, keeps
/// alive with its module states and answers <c>create_module</c> with <c>module_running</c> at once (no download,
/// no wasm), <c>delete_module</c> with <c>module_deleted</c>.
/// </summary>
internal sealed class SimRuntime(int index, string brokerHost, int brokerPort, SimOptions options, SimCounters counters) : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly ConcurrentDictionary<string, (string Plugin, string Hash)> _modules = new(StringComparer.Ordinal);
    private readonly Channel<MqttApplicationMessage> _inbox = Channel.CreateUnbounded<MqttApplicationMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<string> _seenOrchestrators = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private Task _loops = Task.CompletedTask;

    public string Id { get; } = $"00000000-0000-4000-8000-{index:D12}";

    public int ModuleCount => _modules.Count;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _client.ApplicationMessageReceivedAsync += e =>
        {
            // handled off the client's receive loop: answering publishes and waits for its acknowledgement
            _inbox.Writer.TryWrite(e.ApplicationMessage);
            return Task.CompletedTask;
        };
        var connect = new MqttClientOptionsBuilder()
            .WithTcpServer(brokerHost, brokerPort)
            .WithClientId("wafer-runtime-" + Id)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(60))
            .WithTimeout(TimeSpan.FromSeconds(30))
            .WithWillTopic(Topics.Default.Status(Id))
            .WithWillPayload(MessageCodec.Encode(MessageTypes.Status, new StatusBody(Id, StatusBody.Offline)))
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        await _client.ConnectAsync(connect, cancellationToken);
        await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(Topics.Default.Commands(Id), MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(Topics.Default.OrchestratorStatus, MqttQualityOfServiceLevel.AtLeastOnce)
            .Build(), cancellationToken);
        await PublishAsync(Topics.Default.Status(Id), MessageTypes.Status, new StatusBody(Id, StatusBody.Online), retain: true);
        await AnnounceAsync();
        _loops = Task.WhenAll(InboxLoopAsync(), KeepaliveLoopAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _inbox.Writer.TryComplete();
        try
        {
            await _loops;
        }
        catch (OperationCanceledException)
        {
        }

        if (_client.IsConnected)
        {
            try
            {
                await PublishAsync(Topics.Default.Status(Id), MessageTypes.Status, new StatusBody(Id, StatusBody.Offline), retain: true);
                await _client.DisconnectAsync();
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
            {
            }
        }

        _client.Dispose();
        _stop.Dispose();
    }

    private Task AnnounceAsync() =>
        PublishAsync(Topics.Default.Announce(Id), MessageTypes.Announce, new AnnounceBody(
            Id, $"sim-{index:D4}", new Dictionary<string, string> { ["sim"] = "true" }, new Capacity(2, 4096, options.MaxModules),
            ["functions"], "0.1.0-sim", $"http://127.0.0.1:9/sim-{index}", (int)Math.Ceiling(options.Keepalive.TotalSeconds),
            [.. _modules.Select(m => new ModuleReport(m.Key, m.Value.Plugin, m.Value.Hash, ModuleState.Running))]), retain: true);

    private async Task KeepaliveLoopAsync()
    {
        // spread the fleet's keepalives over the interval, as real runtimes started at different times would be
        await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * options.Keepalive.TotalMilliseconds), _stop.Token);
        using var timer = new PeriodicTimer(options.Keepalive);
        do
        {
            if (_client.IsConnected)
            {
                var load = new Load(0, 0, 1.0, 40);
                await PublishAsync(Topics.Default.Keepalive(Id), MessageTypes.Keepalive,
                    new KeepaliveBody(Id, load, [.. _modules.Keys.Select(m => new ModuleState(m, ModuleState.Running))]), retain: false,
                    MqttQualityOfServiceLevel.AtMostOnce);
                Interlocked.Increment(ref counters.Keepalives);
            }
        }
        while (await timer.WaitForNextTickAsync(_stop.Token));
    }

    private async Task InboxLoopAsync()
    {
        await foreach (var message in _inbox.Reader.ReadAllAsync(_stop.Token))
        {
            Envelope envelope;
            try
            {
                envelope = MessageCodec.Decode(message.Topic, message.Payload.FirstSpan);
            }
            catch (ProtocolException)
            {
                Interlocked.Increment(ref counters.Refused);
                continue;
            }

            switch (envelope.Body)
            {
                case CreateModuleBody create:
                    _modules[create.ModuleId] = (create.Plugin, create.Hash);
                    Interlocked.Increment(ref counters.Creates);
                    await PublishAsync(Topics.Default.Events(Id), MessageTypes.ModuleRunning, new ModuleRunningBody(envelope.Id, create.ModuleId, create.Plugin, create.Hash), retain: false);
                    break;
                case DeleteModuleBody delete:
                    _modules.TryRemove(delete.ModuleId, out _);
                    Interlocked.Increment(ref counters.Deletes);
                    await PublishAsync(Topics.Default.Events(Id), MessageTypes.ModuleDeleted, new ModuleDeletedBody(envelope.Id, delete.ModuleId), retain: false);
                    break;
                case DrainBody:
                    await PublishAsync(Topics.Default.Status(Id), MessageTypes.Status, new StatusBody(Id, StatusBody.Draining), retain: true);
                    break;
                case OrchestratorStatusBody { State: OrchestratorStatusBody.Online } when _seenOrchestrators.Add(envelope.Id):
                    Interlocked.Increment(ref counters.Announces);
                    await AnnounceAsync();
                    break;
            }
        }
    }

    private async Task PublishAsync(string topic, string type, IMessageBody body, bool retain,
        MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtLeastOnce)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(MessageCodec.Encode(type, body))
            .WithQualityOfServiceLevel(qos)
            .WithRetainFlag(retain)
            .Build();
        try
        {
            await _client.PublishAsync(message, _stop.Token);
        }
        catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or MQTTnet.Exceptions.MqttClientNotConnectedException)
        {
            Interlocked.Increment(ref counters.PublishFailures);
        }
    }
}

/// <summary>What the simulated fleet did, summed over its runtimes.</summary>
internal sealed class SimCounters
{
    public long Keepalives;
    public long Creates;
    public long Deletes;
    public long Announces;
    public long Refused;
    public long PublishFailures;
}
