using System.Buffers;
using System.Net;
using MQTTnet.Protocol;
using MQTTnet.Server;
using Wafer.Protocol.V1;
using Wafer.Tests.Shared;

namespace Wafer.Runtime.Tests.Agent;

/// <summary>
/// An in-process MQTT broker (MQTTnet.Server) on 127.0.0.1 with a port of its own. It can be stopped and started
/// again on the same port, refuse connections for a while, and cut a client's connection as a crash would.
/// </summary>
public sealed class TestBroker : IAsyncDisposable
{
    private readonly List<DateTime> _attempts = [];
    private MqttServer? _server;

    private TestBroker(int port) => Port = port;

    public int Port { get; }

    public string Url => $"mqtt://127.0.0.1:{Port}";

    /// <summary>While true, every connection attempt is refused (counted in <see cref="ConnectAttempts"/>).</summary>
    public bool RefuseConnections { get; set; }

    /// <summary>When set, runtimes must present this user name and password.</summary>
    public (string User, string Password)? Credentials { get; set; }

    /// <summary>The user name and password each client presented last, by client id.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, (string? User, string? Password)> Presented { get; } = new();

    /// <summary>The time of every connection attempt by a runtime (client ids starting with <c>wafer-runtime-</c>).</summary>
    public IReadOnlyList<DateTime> ConnectAttempts
    {
        get
        {
            lock (_attempts)
            {
                return [.. _attempts];
            }
        }
    }

    public static async Task<TestBroker> StartAsync()
    {
        var broker = new TestBroker(LoopbackPorts.Free());
        await broker.StartAgainAsync();
        return broker;
    }

    /// <summary>Starts a fresh broker (no retained messages, no sessions) on the same port.</summary>
    public async Task StartAgainAsync()
    {
        var options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointPort(Port)
            .WithDefaultEndpointReuseAddress()
            .Build();
        var server = new MqttServerFactory().CreateMqttServer(options);
        server.ValidatingConnectionAsync += e =>
        {
            Presented[e.ClientId] = (e.UserName, e.Password);
            if (e.ClientId.StartsWith("wafer-runtime-", StringComparison.Ordinal))
            {
                lock (_attempts)
                {
                    _attempts.Add(DateTime.UtcNow);
                }
            }

            if (RefuseConnections)
            {
                e.ReasonCode = MqttConnectReasonCode.ServerUnavailable;
            }
            else if (Credentials is { } expected && e.ClientId.StartsWith("wafer-runtime-", StringComparison.Ordinal)
                     && (e.UserName != expected.User || e.Password != expected.Password))
            {
                e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            }

            return Task.CompletedTask;
        };
        await server.StartAsync();
        _server = server;
    }

    public async Task StopAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            await server.StopAsync(new MqttServerStopOptionsBuilder().Build());
            server.Dispose();
        }
    }

    /// <summary>Drops a client's connection without a DISCONNECT from it, as when its process dies: its last will goes out.</summary>
    public async Task CutConnectionAsync(string clientId)
    {
        var client = (await _server!.GetClientsAsync()).Single(c => c.Id == clientId);
        await client.DisconnectAsync(new MqttServerClientDisconnectOptionsBuilder().WithReasonCode(MqttDisconnectReasonCode.UnspecifiedError).Build());
    }

    /// <summary>The retained message on <paramref name="topic"/>, decoded; null when none.</summary>
    public async Task<Envelope?> RetainedAsync(string topic)
    {
        var message = await _server!.GetRetainedMessageAsync(topic);
        return message is null ? null : MessageCodec.Decode(topic, message.Payload.ToArray());
    }

    public async ValueTask DisposeAsync() => await StopAsync();

}
