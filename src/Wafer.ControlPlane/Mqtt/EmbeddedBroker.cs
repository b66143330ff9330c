using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Wafer.ControlPlane.Mqtt;

/// <summary>
/// The in-process MQTT broker used when no external broker is configured: MQTTnet.Server bound to 127.0.0.1 by default
/// (<c>--brokerHost</c> to listen beyond, which needs the fleet token). Clients authenticate with
/// <see cref="BrokerAuthenticator"/>, and every publish and subscription is checked against the client's
/// <see cref="BrokerRole"/>: what is not allowed is refused (PUBACK or SUBACK <c>NotAuthorized</c>) and goes nowhere.
/// </summary>
internal sealed partial class EmbeddedBroker(EmbeddedBroker.Settings settings, ILogger<EmbeddedBroker> logger) : IHostedService, IAsyncDisposable
{
    private const string RoleItem = "wafer-role";

    private readonly BrokerAuthenticator _authenticator = new(settings.Token, settings.Username, settings.Password, settings.Topics);
    private MqttServer? _server;

    public int Port => settings.Port;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var factory = new MqttServerFactory();
        var v6 = settings.Address.AddressFamily == AddressFamily.InterNetworkV6;
        var options = factory.CreateServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(v6 ? IPAddress.None : settings.Address)
            .WithDefaultEndpointBoundIPV6Address(v6 ? settings.Address : IPAddress.None)
            .WithDefaultEndpointPort(settings.Port)
            .Build();
        _server = factory.CreateMqttServer(options);
        _server.ValidatingConnectionAsync += OnConnecting;
        _server.InterceptingPublishAsync += OnPublishing;
        _server.InterceptingSubscriptionAsync += OnSubscribing;
        await _server.StartAsync();
        LogStarted(settings.Address.ToString(), settings.Port, _authenticator.RequiresCredentials);
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

    private Task OnConnecting(ValidatingConnectionEventArgs e)
    {
        var outcome = _authenticator.Authenticate(e.ClientId, e.UserName, e.Password);
        if (outcome.Role is null)
        {
            e.ReasonCode = outcome.Code;
            e.ReasonString = outcome.Reason;
            LogRefused(e.ClientId, e.RemoteEndPoint?.ToString() ?? "?", outcome.Reason ?? outcome.Code.ToString());
        }
        else
        {
            e.SessionItems[RoleItem] = outcome.Role;
        }

        return Task.CompletedTask;
    }

    /// <summary>Also sees last wills, which the broker publishes for the client that set them.</summary>
    private Task OnPublishing(InterceptingPublishEventArgs e)
    {
        var role = RoleOf(e.SessionItems);
        if (!role.MayPublish(e.ApplicationMessage.Topic))
        {
            e.ProcessPublish = false;
            e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            e.Response.ReasonString = $"{role} may not publish to {e.ApplicationMessage.Topic}";
            LogDenied(e.ClientId, role.ToString(), "publish to", e.ApplicationMessage.Topic);
        }

        return Task.CompletedTask;
    }

    private Task OnSubscribing(InterceptingSubscriptionEventArgs e)
    {
        var role = RoleOf(e.SessionItems);
        if (!role.MaySubscribe(e.TopicFilter.Topic))
        {
            e.ProcessSubscription = false;
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            e.Response.ReasonString = $"{role} may not subscribe to {e.TopicFilter.Topic}";
            LogDenied(e.ClientId, role.ToString(), "subscribe to", e.TopicFilter.Topic);
        }

        return Task.CompletedTask;
    }

    /// <summary>A message without a client's session (none are injected today) is held to the strictest rule: a runtime of no id.</summary>
    private BrokerRole RoleOf(System.Collections.IDictionary? items) =>
        items?[RoleItem] as BrokerRole ?? BrokerRole.Runtime(settings.Topics, "");

    /// <summary>Where the broker listens and whom it lets in.</summary>
    /// <param name="Token">The fleet token: clients then need the credentials derived from it (or the operator's). Secret.</param>
    /// <param name="Username">The operator's explicit user, accepted unrestricted.</param>
    /// <param name="Password">Its password. Secret.</param>
    /// <param name="Topics">The realm's topics the roles are checked against.</param>
    public sealed record Settings(int Port, IPAddress Address, string? Token, string? Username, string? Password, Wafer.Protocol.V1.Topics Topics);

    [LoggerMessage(EventId = 5050, EventName = "EmbeddedBrokerStarted", Level = LogLevel.Information,
        Message = "In-process MQTT broker listening on {Address} port {Port} (credentials required: {Authenticated})")]
    private partial void LogStarted(string address, int port, bool authenticated);

    [LoggerMessage(EventId = 5051, EventName = "BrokerClientRefused", Level = LogLevel.Warning,
        Message = "In-process broker refused client {ClientId} from {Endpoint}: {Reason}")]
    private partial void LogRefused(string clientId, string endpoint, string reason);

    [LoggerMessage(EventId = 5052, EventName = "BrokerAccessDenied", Level = LogLevel.Warning,
        Message = "In-process broker denied client {ClientId} ({Role}) to {Action} {Topic}")]
    private partial void LogDenied(string clientId, string role, string action, string topic);
}
