using MQTTnet;
using Wafer.Protocol.Transport;

namespace Wafer.Triggers;

/// <summary>The broker MQTT triggers subscribe on, with the credentials and client id this host uses there.</summary>
public sealed record TriggerBroker(BrokerAddress Endpoint, string? Username, string? Password, BrokerTrust? Trust, string ClientId)
{
    /// <summary>Completes when the broker can take connections (a broker this process starts itself); connecting waits for it.</summary>
    public Task Ready { get; init; } = Task.CompletedTask;

    /// <summary>
    /// Connects <paramref name="client"/> as every user-topic client of a runtime or orchestrator does (triggers,
    /// channels): MQTT 5, a clean start (so the caller subscribes afresh), this broker's credentials and trust.
    /// </summary>
    /// <exception cref="InvalidOperationException">The broker refused the connection; the message says why.</exception>
    public async Task ConnectAsync(IMqttClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        await Ready.WaitAsync(cancellationToken);
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(Endpoint.Host, Endpoint.Port)
            .WithClientId(ClientId)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithTimeout(TimeSpan.FromSeconds(10));
        if ((Username ?? Endpoint.Username) is { } user)
        {
            builder = builder.WithCredentials(user, Password ?? Endpoint.Password ?? "");
        }

        if (Endpoint.Tls)
        {
            builder = builder.WithTlsOptions(tls =>
            {
                tls.UseTls();
                if (Trust is { } trust)
                {
                    tls.WithCertificateValidationHandler(e => trust.Validate(e.Certificate, e.Chain, e.SslPolicyErrors));
                }
            });
        }

        var connected = await client.ConnectAsync(builder.Build(), cancellationToken);
        if (connected.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"the broker refused the connection: {connected.ResultCode} {connected.ReasonString}".TrimEnd());
        }
    }

    public override string ToString() => Endpoint.ToString();
}
