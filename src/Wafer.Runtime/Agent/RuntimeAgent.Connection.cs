using MQTTnet;
using MQTTnet.Protocol;
using Wafer.Protocol.Transport;
using Wafer.Protocol.V1;

namespace Wafer.Runtime.Agent;

/// <summary>Joining the broker and staying joined: the reconnect loop with backoff and the client options (last will, credentials, TLS).</summary>
public sealed partial class RuntimeAgent
{
    private async Task ConnectionLoopAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested && !_stopping)
        {
            var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _disconnected, disconnected);
            try
            {
                await ConnectAsync(stoppingToken);
                Connected(_logger, _broker.ToString(), failures);
                failures = 0;
                await disconnected.Task.WaitAsync(stoppingToken);
                if (!_stopping)
                {
                    ConnectionLost(_logger, _broker.ToString());
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                if (failures == 0)
                {
                    ConnectFailed(_logger, _broker.ToString(), ex.Message);
                }

                failures++;
            }

            if (_stopping)
            {
                break;
            }

            await Task.Delay(ReconnectBackoff.Delay(failures), stoppingToken);
        }
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var result = await _client.ConnectAsync(ClientOptions(), timeout.Token);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"the broker refused the connection: {result.ResultCode} {result.ReasonString}");
        }

        var id = _identity!.Id;
        await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(Topics.Commands(id), MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(Topics.OrchestratorStatus, MqttQualityOfServiceLevel.AtLeastOnce)
            .Build(), timeout.Token);
        if (!await PublishStatusAsync() || !await AnnounceAsync())
        {
            throw new InvalidOperationException("the connection dropped while announcing");
        }

        while (_outbox.TryDequeue(out var pending))
        {
            await PublishEventAsync(pending.Type, pending.Body);
        }
    }

    private MqttClientOptions ClientOptions()
    {
        var id = _identity!.Id;
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_broker.Host, _broker.Port)
            .WithClientId("wafer-runtime-" + id)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(Math.Clamp(Math.Ceiling(_options.KeepaliveInterval.TotalSeconds), 1, 60)))
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithWillTopic(Topics.Status(id))
            .WithWillPayload(MessageCodec.Encode(MessageTypes.Status, new StatusBody(id, StatusBody.Offline)))
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        var user = _options.MqttUsername ?? _broker.Username;
        if (user is not null)
        {
            builder.WithCredentials(user, _options.MqttPassword ?? _broker.Password);
        }

        if (_broker.Tls)
        {
            var trust = _options.MqttCa is { } ca ? BrokerTrust.Load(ca, out _) : null;
            builder.WithTlsOptions(tls =>
            {
                tls.UseTls();
                if (trust is not null)
                {
                    tls.WithCertificateValidationHandler(e => trust.Validate(e.Certificate, e.Chain, e.SslPolicyErrors));
                }
            });
        }

        return builder.Build();
    }
}
