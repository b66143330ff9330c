using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Wafer.ControlPlane.Mqtt;

/// <summary>
/// The in-process MQTT broker used when no external broker is configured: MQTTnet.Server bound to 127.0.0.1 only,
/// requiring the configured username and password when there are any.
/// </summary>
public sealed partial class EmbeddedBroker(int port, string? username, string? password, ILogger<EmbeddedBroker> logger) : IHostedService, IAsyncDisposable
{
    private MqttServer? _server;

    public int Port => port;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var factory = new MqttServerFactory();
        var options = factory.CreateServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithDefaultEndpointPort(port)
            .Build();
        _server = factory.CreateMqttServer(options);
        if (username is not null)
        {
            _server.ValidatingConnectionAsync += e =>
            {
                if (e.UserName != username || e.Password != password)
                {
                    e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
                }

                return Task.CompletedTask;
            };
        }

        await _server.StartAsync();
        LogStarted(port, username is not null);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is { IsStarted: true })
        {
            await _server.StopAsync();
        }
    }

    public ValueTask DisposeAsync()
    {
        _server?.Dispose();
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 5050, EventName = "EmbeddedBrokerStarted", Level = LogLevel.Information,
        Message = "In-process MQTT broker listening on mqtt://127.0.0.1:{Port} (credentials required: {Authenticated})")]
    private partial void LogStarted(int port, bool authenticated);
}
