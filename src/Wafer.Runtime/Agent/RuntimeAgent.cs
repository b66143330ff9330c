using System.Collections.Concurrent;
using System.Net;
using System.Reflection;
using System.Threading.Channels;
using MQTTnet;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wafer.Protocol.Transport;
using Wafer.Protocol.V1;
using Wafer.Runtime.Hosting;

namespace Wafer.Runtime.Agent;

/// <summary>
/// The runtime's side of the control protocol (docs/protocol.md): joins the broker with a retained <c>offline</c> last
/// will, announces itself, sends keepalives, carries out the orchestrator's commands and answers with events. It
/// reconnects with backoff when the broker goes away; the runtime keeps serving what it has meanwhile.
/// </summary>
public sealed partial class RuntimeAgent : BackgroundService
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(3);
    private static readonly string[] Kinds = ["functions", "jobs", "http"];
    private const int OutboxLimit = 1000;

    private readonly RuntimeOptions _runtime;
    private readonly AgentOptions _options;
    private readonly PlacedModules _modules;
    private readonly LoadSampler _load;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly IServiceProvider _services;
    private readonly ILogger<RuntimeAgent> _logger;
    private readonly IMqttClient _client;
    private readonly Channel<(string Topic, byte[] Payload, string? Signature)> _inbox =
        Channel.CreateBounded<(string, byte[], string?)>(new BoundedChannelOptions(1024) { SingleReader = true });
    private readonly ConcurrentQueue<(string Type, IMessageBody Body)> _outbox = new();
    private readonly SemaphoreSlim _retainedInOrder = new(1, 1);
    private readonly TaskCompletionSource _serverStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RuntimeIdentity? _identity;
    private readonly Topics _topics;
    private readonly Programs.ProgramRunner _programs;
    private IReadOnlyList<StoredModule> _restored = [];
    private RuntimeKeys? _keys;
    private CommandGuard _guard = new(null, TimeProvider.System);
    private volatile string? _willId;
    private BrokerAddress _broker = null!;
    private TaskCompletionSource _disconnected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenRegistration _onStarted;
    private string? _lastOrchestratorStatusId;
    private volatile bool _draining;
    private volatile bool _stopping;
    private int _offlineSent;
    private int _fatalSent;

    public RuntimeAgent(
        IOptions<RuntimeOptions> options,
        PlacedModules modules,
        Programs.ProgramRunner programs,
        LoadSampler load,
        IHostApplicationLifetime lifetime,
        IServiceProvider services,
        ILogger<RuntimeAgent> logger)
    {
        _runtime = options.Value;
        _options = _runtime.Agent;
        _topics = new Topics(_options.Realm);
        _modules = modules;
        _programs = programs;
        _load = load;
        _lifetime = lifetime;
        _services = services;
        _logger = logger;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client.DisconnectedAsync += e =>
        {
            Volatile.Read(ref _disconnected).TrySetResult();
            return Task.CompletedTask;
        };
    }

    /// <summary>This runtime's id; null until the agent has started (or when it is not joining a fleet).</summary>
    public string? RuntimeId => _identity?.Id;

    /// <summary>The name announced to the orchestrator.</summary>
    public string? Name { get; private set; }

    /// <summary>The URL announced to the orchestrator; null until the server is listening.</summary>
    public string? Url { get; private set; }

    /// <summary>The HTTP/2 cleartext URL gateways send calls to (<see cref="H2cEndpoint"/>); null when there is none.</summary>
    public string? H2cUrl { get; private set; }

    public bool IsConnected => _client.IsConnected;

    public bool IsDraining => _draining;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            return Task.CompletedTask;
        }

        BrokerAddress.TryParse(_options.Join!, out _broker, out _);
        _identity = RuntimeIdentity.Acquire(_runtime.StoragePath);
        _keys = _options.ControlToken is { Length: > 0 } token ? new RuntimeKeys(token, _identity.Id) : null;
        _guard = new CommandGuard(_keys, TimeProvider.System);
        Name = _options.Name ?? $"{Dns.GetHostName().ToLowerInvariant()}-{_identity.Id[..8]}";
        _restored = _modules.Restore();
        _onStarted = _lifetime.ApplicationStarted.Register(() =>
        {
            try
            {
                Url = (_options.AdvertisedUrl ?? DeriveUrl()).TrimEnd('/');
                H2cUrl = _services.GetService<H2cEndpoint>()?.Port is { } h2cPort
                    ? new UriBuilder(Url) { Scheme = Uri.UriSchemeHttp, Port = h2cPort }.Uri.GetLeftPart(UriPartial.Authority)
                    : null;
                _serverStarted.TrySetResult();
            }
            catch (Exception ex)
            {
                _serverStarted.TrySetException(ex);
            }
        });
        AppDomain.CurrentDomain.UnhandledException += OnUnhandledException;
        return base.StartAsync(cancellationToken);
    }

    /// <summary>Compiles the HTTP client, the server pipeline and the call paths by using them once (<see cref="ArtifactFetcher.WarmUpAsync"/>).</summary>
    private async Task WarmUpAsync(CancellationToken stoppingToken)
    {
        if (LocalUrl() is not { } local)
        {
            return;
        }

        var localH2c = _services.GetService<H2cEndpoint>()?.Port is { } h2cPort
            ? new UriBuilder(local) { Port = h2cPort }.Uri.GetLeftPart(UriPartial.Authority)
            : null;
        TimeSpan? warmUp;
        try
        {
            warmUp = await _services.GetRequiredService<ArtifactFetcher>().WarmUpAsync(local, localH2c, stoppingToken);
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            return; // stopped while warming up: the server may already be gone
        }

        if (warmUp is { } took)
        {
            WarmedUp(_logger, took.TotalMilliseconds);
        }
        else
        {
            WarmUpIncomplete(_logger);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _serverStarted.Task.WaitAsync(stoppingToken);
            WatchHostedServices();
            // while the runtime connects and announces itself: the orchestrator's first placement and the gateway's
            // first route take about as long as the warm-up, so overlapping them brings the first call forward
            var warmUp = WarmUpAsync(stoppingToken);
            RunRestoredPrograms();
            await _services.GetRequiredService<FleetBrokerReady>().Ready.WaitAsync(stoppingToken);
            AgentStarted(_logger, _identity!.Id, Name!, Url!, _broker.ToString());
            var keepalive = KeepaliveLoopAsync(stoppingToken);
            var inbox = InboxLoopAsync(stoppingToken);
            await ConnectionLoopAsync(stoppingToken);
            await Task.WhenAll(keepalive, inbox, warmUp);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            await ReportFatalAsync($"runtime agent failed: {ex.GetType().Name}: {ex.Message}");
            throw;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        _stopping = true;
        await GoOfflineAsync();
        await base.StopAsync(cancellationToken);
        AppDomain.CurrentDomain.UnhandledException -= OnUnhandledException;
    }

    public override void Dispose()
    {
        AppDomain.CurrentDomain.UnhandledException -= OnUnhandledException;
        _onStarted.Dispose();
        _client.Dispose();
        _identity?.Dispose();
        base.Dispose();
    }

    /// <summary>Publishes the retained <c>offline</c> status and disconnects cleanly (so the broker sends no last will).</summary>
    private async Task GoOfflineAsync()
    {
        if (Interlocked.Exchange(ref _offlineSent, 1) == 1 || _identity is null)
        {
            return;
        }

        var id = _identity.Id;
        await PublishAsync(_topics.Status(id), MessageTypes.Status, new StatusBody(id, StatusBody.Offline), retain: true);
        try
        {
            using var timeout = new CancellationTokenSource(PublishTimeout);
            if (_client.IsConnected)
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), timeout.Token);
            }
        }
        catch (Exception ex)
        {
            PublishFailed(_logger, "disconnect", _broker.ToString(), ex.Message);
        }

        WentOffline(_logger);
    }

    /// <summary>The bound address as this process reaches it (a wildcard address through loopback).</summary>
    private string? LocalUrl() =>
        _services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()?
            .Replace("://+:", "://127.0.0.1:", StringComparison.Ordinal).Replace("://*:", "://127.0.0.1:", StringComparison.Ordinal)
            .Replace("://0.0.0.0:", "://127.0.0.1:", StringComparison.Ordinal).Replace("://[::]:", "://[::1]:", StringComparison.Ordinal)
            .TrimEnd('/');

    /// <summary>The first address the server listens on, with a wildcard host replaced by this machine's name.</summary>
    private string DeriveUrl()
    {
        var address = _services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                      ?? throw new InvalidOperationException("the runtime listens on no address; set Agent.AdvertisedUrl (--advertise)");
        var wildcard = address.Replace("://+:", "://0.0.0.0:", StringComparison.Ordinal).Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal);
        var url = new UriBuilder(wildcard);
        if (url.Host is "0.0.0.0" or "[::]" or "::")
        {
            url.Host = Dns.GetHostName();
        }

        return url.Uri.GetLeftPart(UriPartial.Authority);
    }

    private static string Version { get; } =
        typeof(RuntimeAgent).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
