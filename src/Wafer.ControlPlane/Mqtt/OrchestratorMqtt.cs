using System.Buffers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using Wafer.ControlPlane.Scheduling;
using Wafer.ControlPlane.SilverLine;
using Wafer.Protocol.V1;

namespace Wafer.ControlPlane.Mqtt;

/// <summary>
/// The orchestrator's side of the MQTT protocol (docs/protocol.md): keeps a connection to the broker (reconnecting
/// with backoff), subscribes to every runtime's topics, strictly decodes and validates what arrives and posts it to
/// the reconciler, refuses the rest with a log line and an <c>error</c> on <c>wafer/v1/orchestrator/errors</c>, and
/// publishes commands. Its retained <c>orchestrator_status</c> is <c>online</c> while connected and its last will
/// says <c>offline</c>. With the fleet token it signs everything it publishes and accepts from runtimes only what
/// <see cref="RuntimeMessageGuard"/> lets through (docs/protocol.md, "Signed messages").
/// </summary>
internal sealed partial class OrchestratorMqtt : BackgroundService, ICommandSender, IMessageRefusals
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly MqttSettings _settings;
    private readonly IFleetEvents _events;
    private readonly IOrchestratorAddress _address;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<OrchestratorMqtt> _logger;
    private readonly IMqttClient _client;
    private readonly ErrorBudget _errorBudget;
    private readonly RuntimeMessageGuard _guard;
    private readonly ProcControlHandler _procControl;
    private readonly string _clientId = "wafer-orchestrator-" + Guid.NewGuid().ToString("N")[..8];
    private TaskCompletionSource _disconnected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stopping;

    public OrchestratorMqtt(
        MqttSettings settings, IFleetEvents events, IOrchestratorAddress address, IHostApplicationLifetime lifetime, TimeProvider time,
        ProcControlHandler procControl, ILogger<OrchestratorMqtt> logger)
    {
        _procControl = procControl;
        _settings = settings;
        _events = events;
        _address = address;
        _lifetime = lifetime;
        _logger = logger;
        _errorBudget = new ErrorBudget(50, time);
        _guard = new RuntimeMessageGuard(settings.SigningToken, time);
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client.DisconnectedAsync += _ =>
        {
            _disconnected.TrySetResult();
            return Task.CompletedTask;
        };
    }

    public bool IsConnected => _client.IsConnected;

    public async Task<bool> SendAsync(string runtimeId, Envelope command, CancellationToken cancellationToken = default) =>
        await PublishAsync(_settings.Topics.Commands(runtimeId), MessageCodec.Encode(command), retain: false, cancellationToken);

    public async Task RequestAnnouncementsAsync(CancellationToken cancellationToken = default) =>
        await PublishAsync(_settings.Topics.OrchestratorStatus, StatusPayload("online"), retain: true, cancellationToken);

    public async Task NotifyExitedAsync(ModuleExitedBody exited, CancellationToken cancellationToken = default) =>
        await PublishAsync(_settings.Topics.ProcNotifications, ExitedNotification.Encode(exited), retain: false, cancellationToken);

    public async Task RefuseAsync(string topic, string? requestId, string reason, CancellationToken cancellationToken = default)
    {
        LogRefused(topic, reason);
        if (_errorBudget.TryTake())
        {
            var error = MessageCodec.Encode(MessageTypes.Error, new ErrorBody(requestId, topic, reason));
            await PublishAsync(_settings.Topics.OrchestratorErrors, error, retain: false, cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The artifact URL and the status URL need the HTTP server's address: connect once it listens.
        await WaitForStartAsync(stoppingToken);
        var backoff = MinBackoff;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                _disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                await ConnectAsync(stoppingToken);
                backoff = MinBackoff;
                await _disconnected.Task.WaitAsync(stoppingToken);
                if (_stopping)
                {
                    break; // our own goodbye in StopAsync, not a lost broker
                }

                LogDisconnected(_settings.Endpoint.ToString());
                await _events.PostAsync(new BrokerDisconnected(), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogConnectFailed(_settings.Endpoint.ToString(), ex.Message, backoff.TotalMilliseconds);
            }

            try
            {
                await Task.Delay(backoff, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        if (_client.IsConnected)
        {
            try
            {
                await PublishAsync(_settings.Topics.OrchestratorStatus, StatusPayload("offline"), retain: true, cancellationToken);
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogConnectFailed(_settings.Endpoint.ToString(), ex.Message, 0);
            }
        }

        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _client.Dispose();
        base.Dispose();
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var endpoint = _settings.Endpoint;
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(endpoint.Host, endpoint.Port)
            .WithClientId(_clientId)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(10))
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithWillTopic(_settings.Topics.OrchestratorStatus)
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        var will = StatusPayload("offline");
        builder = builder.WithWillPayload(will);
        if (Signature(_settings.Topics.OrchestratorStatus, will) is { } willSignature)
        {
            builder = builder.WithWillUserProperty(MessageSignature.UserProperty, willSignature);
        }

        if (_settings.EffectiveUsername is { } user)
        {
            builder = builder.WithCredentials(user, _settings.EffectivePassword ?? "");
        }

        if (endpoint.Tls)
        {
            builder = builder.WithTlsOptions(tls =>
            {
                tls.UseTls();
                if (_settings.Trust is { } trust)
                {
                    tls.WithCertificateValidationHandler(e => trust.Validate(e.Certificate, e.Chain, e.SslPolicyErrors));
                }
            });
        }

        var connected = await _client.ConnectAsync(builder.Build(), cancellationToken);
        if (connected.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"the broker refused the connection: {connected.ResultCode} {connected.ReasonString}".TrimEnd());
        }

        var subscribe = new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic(_settings.Topics.AllRuntimes).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithNoLocal(true))
            .WithTopicFilter(f => f.WithTopic(_settings.Topics.ProcControl).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithNoLocal(true))
            .Build();
        await _client.SubscribeAsync(subscribe, cancellationToken);
        await _events.PostAsync(new BrokerConnected(), cancellationToken);
        await PublishAsync(_settings.Topics.OrchestratorStatus, StatusPayload("online"), retain: true, cancellationToken);
        LogConnected(endpoint.ToString(), _clientId);
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var message = e.ApplicationMessage;
        var topic = message.Topic;
        if (_settings.Topics.TryParseRuntimeTopic(topic, out _, out var channel) && channel == "commands")
        {
            return; // addressed to a runtime, not to us (a broker without no-local echoes our own commands)
        }

        var payload = message.Payload;
        if (payload.Length == 0)
        {
            LogEmptyMessage(topic);
            return; // a retained message being cleared
        }

        if (topic == _settings.Topics.ProcControl)
        {
            await OnProcControlAsync(payload);
            return;
        }

        if (payload.Length > MessageCodec.MaxMessageBytes)
        {
            await RefuseAsync(topic, null, $"message of {payload.Length} bytes exceeds the {MessageCodec.MaxMessageBytes}-byte limit");
            return;
        }

        Envelope envelope;
        try
        {
            envelope = MessageCodec.Decode(topic, payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray());
        }
        catch (ProtocolException ex)
        {
            await RefuseAsync(topic, ex.MessageId, ex.Message);
            return;
        }

        if (InboundValidator.Problem(envelope) is { } problem)
        {
            await RefuseAsync(topic, envelope.Id, problem);
            return;
        }

        var signature = message.UserProperties?.FirstOrDefault(p => p.Name == MessageSignature.UserProperty)?.ReadValueAsString();
        var verdict = _guard.Check(topic, envelope, payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray(), signature);
        if (verdict.Refusal is { } refusal)
        {
            if (verdict.Stale && message.Retain)
            {
                // The broker's retained copy, delivered on (re)subscribing after the runtime's newer one: not a replay.
                LogStaleRetained(topic);
                return;
            }

            await RefuseAsync(topic, envelope.Id, refusal);
            return;
        }

        if (_settings.Topics.TryParseRuntimeTopic(topic, out var runtimeId, out _))
        {
            await _events.PostAsync(new RuntimeMessage(runtimeId, topic, envelope, message.Retain, verdict.IsWill));
            if (envelope.Body is ModuleExitedBody exited)
            {
                // Everyone is told, as SilverLine tells them: {realm}/proc/notif.
                await NotifyExitedAsync(exited, CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// A SilverLine client's request. Handled off the receive loop (creating waits for the reconciler), answers and
    /// errors bounded by the error budget like every refusal, so a flood of requests cannot become a flood of answers.
    /// </summary>
    private async Task OnProcControlAsync(ReadOnlySequence<byte> payload)
    {
        if (payload.Length > MessageCodec.MaxMessageBytes)
        {
            await RefuseAsync(_settings.Topics.ProcControl, null, $"message of {payload.Length} bytes exceeds the {MessageCodec.MaxMessageBytes}-byte limit");
            return;
        }

        var bytes = payload.ToArray();
        _ = Task.Run(async () =>
        {
            try
            {
                await _procControl.HandleAsync(bytes, async (answer, body) =>
                {
                    if (_errorBudget.TryTake())
                    {
                        await PublishAsync(answer ? _settings.Topics.ProcControl : _settings.Topics.ProcLog, body, retain: false, CancellationToken.None);
                    }
                }, CancellationToken.None);
            }
            catch (Exception ex)
            {
                LogPublishFailed(_settings.Topics.ProcControl, ex.Message);
            }
        });
    }

    private async Task<bool> PublishAsync(string topic, byte[] payload, bool retain, CancellationToken cancellationToken)
    {
        if (!_client.IsConnected)
        {
            return false;
        }

        try
        {
            var builder = new MqttApplicationMessageBuilder()
                .WithTopic(topic)
                .WithPayload(payload)
                .WithRetainFlag(retain)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
            if (Signature(topic, payload) is { } signature)
            {
                builder.WithUserProperty(MessageSignature.UserProperty, signature);
            }

            var message = builder.Build();
            var result = await _client.PublishAsync(message, cancellationToken);
            return result.IsSuccess;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogPublishFailed(topic, ex.Message);
            return false;
        }
    }

    private byte[] StatusPayload(string state) =>
        MessageCodec.Encode(MessageTypes.OrchestratorStatus, new OrchestratorStatusBody(state, _address.BaseUrl, _settings.SigningToken is not null));

    /// <summary>The signature of what goes out on <paramref name="topic"/>: commands with their runtime's key, the rest with ours.</summary>
    private ReadOnlyMemory<byte>? Signature(string topic, byte[] payload)
    {
        if (_settings.SigningToken is not { } token || MessageSignature.KeyFor(token, topic) is not { } key)
        {
            return null;
        }

        return System.Text.Encoding.ASCII.GetBytes(MessageSignature.Compute(key, topic, payload));
    }

    private async Task WaitForStartAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = _lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
    }
}
