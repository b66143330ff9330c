using System.Text;
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
            catch (BrokerRefusedException ex) when (ex.Credentials)
            {
                if (failures == 0)
                {
                    CredentialsRefused(_logger, _broker.ToString(), ex.Message, _keys is null
                        ? "if the fleet has a token, start this runtime with --token (or WAFER_TOKEN): its broker user and password derive from it"
                        : "check that --token is the orchestrator's, or give the broker's user with --mqttUser and --mqttPassword");
                }

                failures++;
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
            throw new BrokerRefusedException(result.ResultCode, result.ReasonString);
        }

        var id = _identity!.Id;
        await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(_topics.Commands(id), MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(_topics.OrchestratorStatus, MqttQualityOfServiceLevel.AtLeastOnce)
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

    /// <summary>
    /// The options of one connection. Its last will is a retained <c>offline</c> status built now, signed when the
    /// runtime has the fleet token; its envelope id goes into the next announce (<c>willId</c>) so the orchestrator
    /// can tell the will, whatever its age, from a replayed old status.
    /// </summary>
    private MqttClientOptions ClientOptions()
    {
        var id = _identity!.Id;
        var will = Envelope.Create(MessageTypes.Status, new StatusBody(id, StatusBody.Offline));
        var willPayload = MessageCodec.Encode(will);
        _willId = will.Id;
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_broker.Host, _broker.Port)
            .WithClientId("wafer-runtime-" + id)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(Math.Clamp(Math.Ceiling(_options.KeepaliveInterval.TotalSeconds), 1, 60)))
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithWillTopic(_topics.Status(id))
            .WithWillPayload(willPayload)
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (_keys is not null)
        {
            builder.WithWillUserProperty(MessageSignature.UserProperty, new ReadOnlyMemory<byte>(Encoding.ASCII.GetBytes(_keys.Sign(_topics.Status(id), willPayload))));
        }

        // Explicit credentials (--mqttUser, or user:password@ in --join) win; with the fleet token the derived ones serve.
        if ((_options.MqttUsername ?? _broker.Username) is { } user)
        {
            builder.WithCredentials(user, _options.MqttPassword ?? _broker.Password);
        }
        else if (_keys is not null)
        {
            builder.WithCredentials(_keys.BrokerUser, _keys.BrokerPassword);
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
