using MQTTnet;
using MQTTnet.Protocol;

namespace Wafer.Triggers;

/// <summary>
/// One MQTT client of a runtime or orchestrator on a user-topic broker (triggers, channels), kept connected: one loop
/// connects (<see cref="TriggerBroker.ConnectAsync"/>, a clean start), makes the subscriptions equal to the topics its
/// owner wants now, waits for a change or a disconnect, and after any failure (the broker away, bad credentials, a
/// refused subscription call) tries again after a backoff from 1 s doubling to 30 s, until it is disposed. The owner
/// handles messages on <see cref="Client"/> and logs what happens with its own named events.
/// </summary>
public sealed class BrokerConnection : IAsyncDisposable
{
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>How often the loop looks at the connection and the wanted topics without being woken.</summary>
    private static readonly TimeSpan Recheck = TimeSpan.FromSeconds(5);

    private readonly TriggerBroker _broker;
    private readonly BrokerConnectionEvents _events;
    private readonly Func<IReadOnlyCollection<string>> _wanted;
    private readonly bool _noLocal;
    private readonly bool _onlyWithTopics;
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly HashSet<string> _subscribed = new(StringComparer.Ordinal);
    private Task? _loop;
    private int _disposed;

    /// <param name="wanted">The topic filters to be subscribed to now; asked on every pass of the loop.</param>
    /// <param name="noLocal">Subscriptions do not deliver what this client publishes itself (MQTT 5 No Local).</param>
    /// <param name="onlyWithTopics">No connection while no topic is wanted.</param>
    public BrokerConnection(TriggerBroker broker, BrokerConnectionEvents events, Func<IReadOnlyCollection<string>> wanted, bool noLocal = false, bool onlyWithTopics = false)
    {
        _broker = broker;
        _events = events;
        _wanted = wanted;
        _noLocal = noLocal;
        _onlyWithTopics = onlyWithTopics;
        Client = new MqttClientFactory().CreateMqttClient();
        Client.DisconnectedAsync += _ =>
        {
            Wake();
            return Task.CompletedTask;
        };
    }

    /// <summary>The client, for the owner's message handler and publishing; the loop alone connects and subscribes it.</summary>
    public IMqttClient Client { get; }

    public bool IsConnected => Client.IsConnected;

    /// <summary>The topic filters subscribed now.</summary>
    public IReadOnlyCollection<string> Subscribed
    {
        get
        {
            lock (_subscribed)
            {
                return [.. _subscribed];
            }
        }
    }

    public bool IsSubscribed(IEnumerable<string> topics)
    {
        lock (_subscribed)
        {
            return topics.All(_subscribed.Contains);
        }
    }

    public void Start() => _loop ??= Task.Run(() => RunAsync(_stopping.Token));

    /// <summary>Tells the loop the wanted topics changed.</summary>
    public void Wake()
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (ObjectDisposedException)
            {
                // disposed meanwhile: nothing left to wake
            }
        }
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        var backoff = FirstBackoff;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (!Client.IsConnected)
                {
                    if (_onlyWithTopics && _wanted().Count == 0)
                    {
                        await _wake.WaitAsync(stopping);
                        continue;
                    }

                    await ConnectAsync(stopping);
                    backoff = FirstBackoff;
                }

                await SubscribeAsync(stopping);
                await _wake.WaitAsync(Recheck, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _events.ConnectFailed(_broker.ToString(), ex.Message, (int)backoff.TotalMilliseconds);
                await Task.Delay(backoff, stopping).ContinueWith(_ => { }, TaskScheduler.Default);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        await _broker.ConnectAsync(Client, cancellationToken);
        lock (_subscribed)
        {
            _subscribed.Clear(); // a clean start: the broker kept none
        }

        _events.Connected(_broker.ToString(), _broker.ClientId);
    }

    /// <summary>Subscribes to the wanted topics not subscribed yet and unsubscribes from the rest; only the loop calls it.</summary>
    private async Task SubscribeAsync(CancellationToken cancellationToken)
    {
        var wanted = _wanted().ToHashSet(StringComparer.Ordinal);
        string[] add, remove;
        lock (_subscribed)
        {
            add = [.. wanted.Where(t => !_subscribed.Contains(t))];
            remove = [.. _subscribed.Where(t => !wanted.Contains(t))];
        }

        foreach (var topic in add)
        {
            var result = await Client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(f => f.WithTopic(topic).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithNoLocal(_noLocal))
                .Build(), cancellationToken);
            var code = result.Items.First().ResultCode;
            if (code > MqttClientSubscribeResultCode.GrantedQoS2)
            {
                _events.SubscribeRefused(topic, code.ToString());
                continue;
            }

            lock (_subscribed)
            {
                _subscribed.Add(topic);
            }

            _events.Subscribed?.Invoke(topic);
        }

        if (remove.Length > 0)
        {
            var unsubscribe = new MqttClientUnsubscribeOptionsBuilder();
            foreach (var topic in remove)
            {
                unsubscribe.WithTopicFilter(topic);
            }

            await Client.UnsubscribeAsync(unsubscribe.Build(), cancellationToken);
            lock (_subscribed)
            {
                _subscribed.ExceptWith(remove);
            }
        }
    }

    /// <summary>Stops the loop and leaves the broker with a normal disconnection (given 2 s).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        if (Client.IsConnected)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await Client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), timeout.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or MQTTnet.Exceptions.MqttCommunicationException)
            {
            }
        }

        Client.Dispose();
        _stopping.Dispose();
        _wake.Dispose();
    }
}
