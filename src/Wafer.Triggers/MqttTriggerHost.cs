using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;
using Wafer.Protocol.Manifest;

namespace Wafer.Triggers;

/// <summary>
/// MQTT triggers (docs/manifest.md, "Triggers"): one client of its own on the broker, subscribed to every trigger's
/// topic. The client's message handler only admits a message to its trigger's <see cref="TriggerLane"/> and returns,
/// so a slow function never holds up the client; the call runs on the thread pool through the
/// <see cref="ITriggerTarget"/>, and its result or problem is published. Its <see cref="BrokerConnection"/> connects
/// (again, with backoff) and keeps the subscriptions equal to the current triggers' topics.
/// </summary>
internal sealed partial class MqttTriggerHost : IAsyncDisposable
{
    /// <summary>Messages of one trigger that may wait for a free slot, per slot.</summary>
    public const int WaitingPerSlot = 64;

    private readonly ITriggerTarget _target;
    private readonly ILogger _logger;
    private readonly BrokerConnection _connection;
    private readonly IMqttClient _client;
    private readonly CancellationTokenSource _stopping = new();
    private volatile MqttBinding[] _bindings = [];
    private int _disposed;

    public MqttTriggerHost(TriggerBroker broker, ITriggerTarget target, ILogger logger)
    {
        _target = target;
        _logger = logger;
        _connection = new BrokerConnection(
            broker,
            new BrokerConnectionEvents(
                (address, clientId) => Connected(logger, address, clientId),
                (address, reason, delayMs) => ConnectFailed(logger, address, reason, delayMs),
                (topic, code) => SubscribeRefused(logger, topic, code),
                topic => TopicSubscribed(logger, topic)),
            () => [.. _bindings.Select(b => b.Spec.Topic)],
            noLocal: true,
            onlyWithTopics: true); // no trigger: no connection
        _client = _connection.Client;
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
    }

    public bool IsConnected => _connection.IsConnected;

    /// <summary>The topic filters subscribed now (for tests and <c>/readyz</c>-like checks).</summary>
    public IReadOnlyCollection<string> Subscribed => _connection.Subscribed;

    public void Start() => _connection.Start();

    /// <summary>Makes <paramref name="plugins"/>' MQTT triggers the ones served; a trigger that stays keeps its lane.</summary>
    public void Apply(IReadOnlyList<PluginTriggers> plugins)
    {
        var before = _bindings.ToDictionary(b => b.Key, StringComparer.Ordinal);
        var bindings = new List<MqttBinding>();
        foreach (var plugin in plugins)
        {
            foreach (var spec in plugin.Triggers.OfType<MqttTriggerSpec>())
            {
                var key = plugin.KeyOf(spec);
                bindings.Add(before.TryGetValue(key, out var kept) && kept.Spec.Equals(spec)
                    ? kept with { Plugin = plugin, Function = plugin.Function(spec.Function) }
                    : new MqttBinding(key, plugin, spec, plugin.Function(spec.Function), new TriggerLane(spec.MaxConcurrent, spec.MaxConcurrent * WaitingPerSlot)));
            }
        }

        _bindings = [.. bindings];
        _connection.Wake();
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var message = e.ApplicationMessage;
        if (message.Retain)
        {
            return Task.CompletedTask; // a retained message is the topic's last state, replayed on subscribing: not a new event
        }

        var topic = message.Topic;
        byte[]? payload = null;
        foreach (var binding in _bindings)
        {
            if (!MqttTopicRules.Matches(binding.Spec.Topic, topic))
            {
                continue;
            }

            payload ??= message.Payload.ToArray();
            var call = new TriggerMessage(topic, payload, message.ResponseTopic, message.CorrelationData);
            if (!binding.Lane.TryAdmit())
            {
                Busy(_logger, binding.Plugin.Plugin, binding.Spec.Path, topic);
                _ = PublishFailureAsync(binding, call, TriggerProblem.Create(Protocol.Problems.ProblemTypes.Busy,
                    $"the trigger already has {binding.Spec.MaxConcurrent} call(s) running and {binding.Spec.MaxConcurrent * WaitingPerSlot} waiting; the message was dropped",
                    binding.Plugin.Plugin, binding.Spec.Function, binding.Spec.Path, topic));
                continue;
            }

            _ = Task.Run(() => binding.Lane.RunAsync(() => HandleAsync(binding, call), _stopping.Token));
        }

        return Task.CompletedTask;
    }

    private async Task HandleAsync(MqttBinding binding, TriggerMessage message)
    {
        var plugin = binding.Plugin.Plugin;
        var function = binding.Spec.Function;
        var arguments = PayloadArguments.Map(binding.Function, new(message.Payload), out var error);
        if (arguments is null)
        {
            BadPayload(_logger, plugin, binding.Spec.Path, message.Topic, error!);
            await PublishFailureAsync(binding, message, TriggerProblem.Create(Protocol.Problems.ProblemTypes.BadRequest, error!, plugin, function, binding.Spec.Path, message.Topic));
            return;
        }

        TriggerAnswer answer;
        try
        {
            answer = await _target.CallAsync(plugin, function, arguments, _stopping.Token);
        }
        catch (Exception ex) when (!_stopping.IsCancellationRequested)
        {
            var timedOut = ex is TaskCanceledException or TimeoutException;
            CallFailed(_logger, plugin, function, binding.Spec.Path, message.Topic, timedOut ? 504 : 503, ex.Message);
            await PublishFailureAsync(binding, message, TriggerProblem.Create(
                timedOut ? Protocol.Problems.ProblemTypes.GatewayTimeout : Protocol.Problems.ProblemTypes.Unavailable,
                timedOut ? "the call was not answered in time" : "the call could not be sent: " + ex.Message, plugin, function, binding.Spec.Path, message.Topic));
            return;
        }

        if (!answer.Succeeded)
        {
            CallFailed(_logger, plugin, function, binding.Spec.Path, message.Topic, answer.Status, Encoding.UTF8.GetString(answer.Body.AsSpan(0, Math.Min(answer.Body.Length, 300))));
            await PublishFailureAsync(binding, message, TriggerProblem.Of(answer, plugin, function, binding.Spec.Path, message.Topic));
            return;
        }

        var (reply, contentType) = TriggerReply.Of(answer.Body);
        var to = message.ResponseTopic ?? binding.Spec.Reply;
        if (to is not null)
        {
            await PublishAsync(to, reply, contentType, message, 200);
        }
    }

    /// <summary>A failure goes to the trigger's error topic, else to the message's response topic, else only to the log.</summary>
    private Task PublishFailureAsync(MqttBinding binding, TriggerMessage message, byte[] problem)
    {
        var to = binding.Spec.Errors ?? message.ResponseTopic;
        var status = System.Text.Json.JsonDocument.Parse(problem).RootElement.TryGetProperty("status", out var s) && s.TryGetInt32(out var code) ? code : 500;
        return to is null ? Task.CompletedTask : PublishAsync(to, problem, "application/problem+json", message, status);
    }

    private async Task PublishAsync(string topic, byte[] payload, string contentType, TriggerMessage request, int status)
    {
        if (!IsPublishable(topic))
        {
            NotPublished(_logger, topic, "it is a trigger's own topic or a reserved one");
            return;
        }

        var builder = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithContentType(contentType)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithUserProperty("status", new ReadOnlyMemory<byte>(Encoding.ASCII.GetBytes(status.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        if (request.CorrelationData is { Length: > 0 } correlation && topic == request.ResponseTopic)
        {
            builder = builder.WithCorrelationData(correlation);
        }

        try
        {
            await _client.PublishAsync(builder.Build(), _stopping.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_stopping.IsCancellationRequested)
        {
            NotPublished(_logger, topic, ex.Message);
        }
    }

    /// <summary>
    /// A response topic comes from whoever published the message: one that a trigger of this host subscribes to would
    /// call a function again with each answer, and Wafer's own topics are never written here.
    /// </summary>
    private bool IsPublishable(string topic)
    {
        if (MqttTopicRules.CheckTopic(topic) is not null)
        {
            return false;
        }

        foreach (var binding in _bindings)
        {
            if (MqttTopicRules.Matches(binding.Spec.Topic, topic))
            {
                return false;
            }
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _connection.DisposeAsync();
        _stopping.Dispose();
    }

    private sealed record MqttBinding(string Key, PluginTriggers Plugin, MqttTriggerSpec Spec, Protocol.Metadata.FunctionMetadata? Function, TriggerLane Lane);

    private sealed record TriggerMessage(string Topic, byte[] Payload, string? ResponseTopic, byte[]? CorrelationData);
}
