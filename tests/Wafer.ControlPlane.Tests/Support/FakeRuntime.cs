using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using Wafer.Protocol.Security;

namespace Wafer.ControlPlane.Tests.Support;

/// <summary>
/// A runtime that speaks protocol v1 from this process: announces with a retained offline last will, answers
/// <c>create_module</c> after downloading the artifact and checking its hash, answers deletes, drains, and serves
/// <c>GET /healthz</c> and <c>GET /api/logs</c> with canned lines. Given the fleet token, it signs what it publishes
/// and joins with the broker user the token gives it, as a real runtime does.
/// </summary>
public sealed class FakeRuntime : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly WebApplication _http;
    private readonly HttpClient _downloads = new();

    private readonly byte[]? _key;
    private readonly string? _token;
    private readonly Topics _topics;

    private FakeRuntime(string id, WebApplication http, string url, string? token, Topics topics)
    {
        _topics = topics;
        Id = id;
        _http = http;
        Url = url;
        _token = token;
        _key = token is null ? null : FleetKeys.Runtime(token, id);
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var payload = e.ApplicationMessage.Payload.ToArray();
            var signature = e.ApplicationMessage.UserProperties?.FirstOrDefault(p => p.Name == MessageSignature.UserProperty)?.ReadValueAsString();
            Signed.Enqueue((payload, signature));
            return OnCommandAsync(e.ApplicationMessage.Topic, payload);
        };
    }

    public string Id { get; }

    public string Url { get; }

    /// <summary>Stops answering HTTP, while its control channel stays up (a runtime whose HTTP side is gone).</summary>
    public Task StopHttpAsync() => _http.StopAsync();

    public ConcurrentDictionary<string, CreateModuleBody> Modules { get; } = new();

    public ConcurrentQueue<Envelope> Commands { get; } = new();

    /// <summary>Every command's payload with its <see cref="MessageSignature.UserProperty"/> (null when unsigned).</summary>
    public ConcurrentQueue<(byte[] Payload, string? Signature)> Signed { get; } = new();

    /// <summary>Bearer token for artifact downloads, when the orchestrator requires one.</summary>
    public string? ArtifactToken { get; set; }

    /// <summary>When set, creates fail with this reason.</summary>
    public string? FailCreates { get; set; }

    public static Task<FakeRuntime> StartAsync(string brokerUrl, string? id = null, params (string Key, string Value)[] labels) =>
        StartAsync(brokerUrl, id, token: null, labels);

    /// <summary>Starts a fake runtime; with <paramref name="token"/>, its id must be a UUID (a broker user name).</summary>
    public static Task<FakeRuntime> StartAsync(string brokerUrl, string? id, string? token, params (string Key, string Value)[] labels) =>
        StartInRealmAsync(brokerUrl, Topics.Default, id, token, labels);

    /// <summary>Starts a fake runtime that speaks on the topics of <paramref name="topics"/>' realm.</summary>
    public static async Task<FakeRuntime> StartInRealmAsync(string brokerUrl, Topics topics, string? id = null, string? token = null, params (string Key, string Value)[] labels)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var http = builder.Build();
        http.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
        http.MapGet("/api/logs", (string? function, string? plugin) => Results.Json(new[]
        {
            new { time = DateTimeOffset.UtcNow, callId = "c1", plugin = "web", function = "hello", level = "info", message = $"hello from {function ?? "all"} of {plugin ?? "all"}", cause = (string?)null },
            new { time = DateTimeOffset.UtcNow.AddMilliseconds(1), callId = "c3", plugin = "web", function = "hello", level = "error", message = "call failed: trap: unreachable", cause = (string?)"trap" },
            new { time = DateTimeOffset.UtcNow, callId = "c2", plugin = "other", function = "x", level = "info", message = "not ours", cause = (string?)null },
        }));
        http.MapGet("/api/modules/{id}/output", (string id) => Results.Json(new { uuid = id, run = 1, running = true, stdout = $"output of {id}\n", stderr = "" }));
        await http.StartAsync();
        var url = http.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var runtime = new FakeRuntime(id ?? Guid.NewGuid().ToString("D"), http, url, token, topics);
        await runtime.ConnectAsync(brokerUrl, labels);
        return runtime;
    }

    private async Task ConnectAsync(string brokerUrl, (string Key, string Value)[] labels)
    {
        var uri = new Uri(brokerUrl);
        var will = Envelope.Create(MessageTypes.Status, new StatusBody(Id, StatusBody.Offline));
        var willPayload = MessageCodec.Encode(will);
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(uri.Host, uri.Port)
            .WithClientId("wafer-runtime-" + Id)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithWillTopic(_topics.Status(Id))
            .WithWillPayload(willPayload)
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (_key is not null)
        {
            builder.WithWillUserProperty(MessageSignature.UserProperty, Signature(_topics.Status(Id), willPayload));
            builder.WithCredentials(Id, FleetKeys.BrokerPassword(_token!, Id));
        }

        var connected = await _client.ConnectAsync(builder.Build());
        Assert.Equal(MqttClientConnectResultCode.Success, connected.ResultCode);
        await _client.SubscribeAsync(_topics.Commands(Id), MqttQualityOfServiceLevel.AtLeastOnce);
        await PublishAsync(_topics.Status(Id), MessageTypes.Status, new StatusBody(Id, StatusBody.Online), retain: true);
        var announce = Fleets.Announce(Id, labels: labels) with { Url = Url, Modules = [], WillId = will.Id };
        await PublishAsync(_topics.Announce(Id), MessageTypes.Announce, announce, retain: true);
    }

    /// <summary>
    /// Dies as a process does: its HTTP server stops (its health check fails) and its connection drops without a clean
    /// disconnect, so the broker sends the last will.
    /// </summary>
    public async Task CrashAsync()
    {
        await _http.StopAsync();
        _client.Dispose(); // the connection closes without a DISCONNECT packet
    }

    /// <summary>Drops the broker connection as a network fault would (the will goes out) while its HTTP server keeps serving.</summary>
    public void LoseBroker() => _client.Dispose(); // the connection closes without a DISCONNECT packet

    private async Task OnCommandAsync(string topic, byte[] payload)
    {
        var command = MessageCodec.Decode(topic, payload);
        Commands.Enqueue(command);
        switch (command.Body)
        {
            case CreateModuleBody create:
                var reason = FailCreates ?? await VerifyAsync(create);
                if (reason is null)
                {
                    Modules[create.ModuleId] = create;
                    await PublishAsync(_topics.Events(Id), MessageTypes.ModuleRunning, new ModuleRunningBody(command.Id, create.ModuleId, create.Plugin, create.Hash));
                }
                else
                {
                    await PublishAsync(_topics.Events(Id), MessageTypes.ModuleFailed, new ModuleFailedBody(command.Id, create.ModuleId, reason));
                }

                break;
            case DeleteModuleBody delete:
                Modules.TryRemove(delete.ModuleId, out _);
                await PublishAsync(_topics.Events(Id), MessageTypes.ModuleDeleted, new ModuleDeletedBody(command.Id, delete.ModuleId));
                break;
            case DrainBody:
                await PublishAsync(_topics.Status(Id), MessageTypes.Status, new StatusBody(Id, StatusBody.Draining), retain: true);
                break;
        }
    }

    private async Task<string?> VerifyAsync(CreateModuleBody create)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, create.ArtifactUrl);
        if (ArtifactToken is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ArtifactToken);
        }

        using var response = await _downloads.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        return actual == create.Hash ? null : $"hash mismatch: expected {create.Hash}, got {actual}";
    }

    private Task PublishAsync(string topic, string type, IMessageBody body, bool retain = false)
    {
        var payload = MessageCodec.Encode(type, body);
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic).WithPayload(payload).WithRetainFlag(retain)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (_key is not null)
        {
            message.WithUserProperty(MessageSignature.UserProperty, Signature(topic, payload));
        }

        return _client.PublishAsync(message.Build());
    }

    private ReadOnlyMemory<byte> Signature(string topic, byte[] payload) =>
        System.Text.Encoding.ASCII.GetBytes(MessageSignature.Compute(_key!, topic, payload));

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_client.IsConnected)
            {
                await PublishAsync(_topics.Status(Id), MessageTypes.Status, new StatusBody(Id, StatusBody.Offline), retain: true);
                await _client.DisconnectAsync();
            }
        }
        catch (ObjectDisposedException)
        {
        }

        _client.Dispose();
        _downloads.Dispose();
        try
        {
            await _http.StopAsync();
        }
        catch (ObjectDisposedException)
        {
        }

        await _http.DisposeAsync();
    }
}
