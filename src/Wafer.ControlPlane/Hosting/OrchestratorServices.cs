using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wafer.ControlPlane.Api;
using Wafer.ControlPlane.Artifacts;
using Wafer.ControlPlane.Gateway;
using Wafer.ControlPlane.Mqtt;
using Wafer.ControlPlane.Scheduling;
using Wafer.ControlPlane.Store;
using Wafer.Gateway.Hosting;
using Wafer.Gateway.Http;
using Wafer.Gateway.Jobs;
using Wafer.Gateway.Routes;
using Wafer.Hosting.Console;
using Wafer.Hosting.Http;
using Wafer.Hosting.Telemetry;
using Wafer.Hosting.Telemetry.Tracing;
using Wafer.Protocol.Transport;
using Wafer.Protocol.V1;

namespace Wafer.ControlPlane.Hosting;

/// <summary>Registers the orchestrator's services and maps its endpoints.</summary>
public static class OrchestratorServices
{
    public static IServiceCollection AddWaferOrchestrator(this IServiceCollection services, Action<OrchestratorOptions> configure)
    {
        var preview = new OrchestratorOptions();
        configure(preview);

        services.AddSingleton<IValidateOptions<OrchestratorOptions>, OrchestratorOptionsValidator>();
        services.AddOptions<OrchestratorOptions>().Configure(configure).ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddWaferProblems();
        services.AddOpenApi();
        services.AddHttpClient(RuntimeLogs.ClientName);
        services.Configure<FormOptions>(f => f.MultipartBodyLengthLimit = preview.MaxArtifactBytes + 1024 * 1024);

        services.AddSingleton(sp => ControlDatabase.Open(Options(sp).Database, Options(sp).StoragePath));
        services.AddSingleton<IFleetStore, SqlFleetStore>();
        services.AddHostedService<StoreCheck>(); // first: nothing starts on a store that is damaged or down
        services.AddSingleton<IArtifactStore>(sp => ArtifactStoreOf(Options(sp)));
        services.AddSingleton<ArtifactService>();
        services.AddSingleton<RuntimeLogs>();
        services.AddSingleton<FleetEventLog>();
        services.AddSingleton<ILoggerProvider>(sp => sp.GetRequiredService<FleetEventLog>());
        // the feed keeps the reconciler's events whatever level the console shows
        services.Configure<LoggerFilterOptions>(o => o.Rules.Add(new LoggerFilterRule(typeof(FleetEventLog).FullName, FleetEventLog.Category, LogLevel.Information, null)));
        services.AddSingleton<FleetView>();
        services.AddSingleton<FleetLists>();
        services.AddSingleton<IOrchestratorAddress, OrchestratorAddress>();
        services.AddWaferTracing("wafer-orchestrator"); // the gateway's spans, named after this process
        services.AddWaferGateway();
        services.AddOptions<GatewayOptions>().Configure<IOptions<OrchestratorOptions>>((gateway, orchestrator) => gateway.Token ??= orchestrator.Value.ApiToken);
        services.AddSingleton<FleetRouteBuilder>();
        services.AddSingleton(sp => new FleetRoutePublisher(
            sp.GetRequiredService<FleetView>(), sp.GetRequiredService<FleetRouteBuilder>(), sp.GetRequiredService<RouteState>(),
            FleetRoutePublisher.DefaultMinInterval, sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService(sp => sp.GetRequiredService<FleetRoutePublisher>());
        services.AddSingleton(sp =>
        {
            var o = Options(sp);
            return ReconcilerSettings.Default with
            {
                KeepaliveGraceMissed = o.KeepaliveGraceMissed,
                CommandTimeout = o.CommandTimeout,
                RouteGrace = o.RouteGrace,
                ProbeInterval = o.RuntimeProbeInterval,
                Scheduler = SchedulerSettings.Default with { DrainTimeout = o.DrainTimeout },
            };
        });
        services.AddSingleton<IRuntimeProbes>(sp => new RuntimeHealthProbes(sp.GetRequiredService<IFleetEvents>(), Options(sp).RuntimeProbeTimeout));
        services.AddSingleton<FleetReconciler>();
        services.AddSingleton<FleetInbox>();
        services.AddSingleton<ReconcileStats>();
        services.AddSingleton<IFleetEvents>(sp => sp.GetRequiredService<FleetInbox>());
        services.AddHostedService(sp => new ReconcilerService(
            sp.GetRequiredService<FleetReconciler>(), sp.GetRequiredService<FleetInbox>(), sp.GetRequiredService<ReconcileStats>(),
            Options(sp).ReconcileInterval, sp.GetRequiredService<TimeProvider>()));

        if (preview.Mqtt is null)
        {
            services.AddSingleton(sp =>
            {
                var o = Options(sp);
                return new EmbeddedBroker(
                    new EmbeddedBroker.Settings(o.BrokerPort, o.BrokerBindAddress(), o.ApiToken, o.MqttUsername, o.MqttPassword, new Topics(o.Realm)),
                    sp.GetRequiredService<ILogger<EmbeddedBroker>>());
            });
            services.AddHostedService(sp => sp.GetRequiredService<EmbeddedBroker>());
        }

        services.AddSingleton<Wafer.ControlPlane.SilverLine.ProgramModules>();
        services.AddSingleton<Wafer.ControlPlane.SilverLine.ProcControlHandler>();
        services.AddSingleton(sp => MqttSettingsOf(Options(sp)));
        services.AddSingleton<OrchestratorMqtt>();
        services.AddSingleton<ICommandSender>(sp => sp.GetRequiredService<OrchestratorMqtt>());
        services.AddSingleton<IMessageRefusals>(sp => sp.GetRequiredService<OrchestratorMqtt>());
        services.AddHostedService(sp => sp.GetRequiredService<OrchestratorMqtt>());
        services.AddSingleton<Triggers.FleetTriggers>();
        services.AddHostedService(sp => sp.GetRequiredService<Triggers.FleetTriggers>());
        return services;
    }

    public static WebApplication MapWaferOrchestrator(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseWaferGatewayFunctions();
        app.UseWaferCrossSiteGuard(hasToken: !string.IsNullOrEmpty(Options(app.Services).ApiToken)); // after the function calls, which it never concerns: the hot path stays as it was
        app.UseStatusCodePages();
        app.UseWaferGatewayHandlers();
        app.MapOpenApi();
        app.MapInfo();
        app.MapEvents();
        app.MapRuntimes();
        app.MapModules();
        app.MapModuleOutput();
        app.MapProgramModules();
        app.MapDeployments();
        app.MapArtifacts();
        app.MapGatewayRoutes();
        app.MapWaferGateway();
        app.MapWaferGatewayJobs();
        app.MapStats();
        FleetMetrics.Register(app.Services);
        app.MapWaferMetrics();
        app.MapWaferTraces(ControlAccess.HoldsToken);
        app.MapWaferConsole();
        app.MapGet("/healthz", () => Results.Ok(new { status = "ok" })).ExcludeFromDescription();
        app.MapGet("/readyz", (FleetView view, OrchestratorMqtt mqtt) => view.IsReady && mqtt.IsConnected
                ? Results.Ok(new { status = "ready" })
                : ApiProblems.Unavailable(view.IsReady ? "not connected to the MQTT broker yet" : "the store is still loading"))
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>The artifact store <see cref="OrchestratorOptions.Artifacts"/> names (a folder by default, or S3).</summary>
    public static IArtifactStore ArtifactStoreOf(OrchestratorOptions options)
    {
        if (options.ArtifactBucket() is { } bucket)
        {
            // Artifacts read from the bucket are kept in the usual folder too: runtimes' downloads are served from there.
            return new S3ArtifactStore(
                Wafer.Storage.S3.S3Clients.Create(options.ArtifactStoreTimeout), bucket, Path.Combine(options.StoragePath, "artifacts"), options.MaxArtifactBytes);
        }

        return options.Artifacts is { } folder ? ArtifactFiles.InFolder(Path.GetFullPath(folder)) : new ArtifactFiles(options.StoragePath);
    }

    /// <summary>The broker the orchestrator connects to: the configured one, or its own in-process broker.</summary>
    public static MqttSettings MqttSettingsOf(OrchestratorOptions options)
    {
        var endpoint = options.Mqtt is { } url && BrokerAddress.TryParse(url, out var parsed, out _)
            ? parsed
            : new BrokerAddress(LocalHost(options.BrokerBindAddress()), options.BrokerPort, false, null, null);
        return new MqttSettings(endpoint, options.MqttUsername, options.MqttPassword) {
            SigningToken = options.ApiToken,
            Topics = new Topics(options.Realm),
            Trust = options.MqttCa is { } ca ? Wafer.Protocol.Transport.BrokerTrust.Load(ca, out _) : null,
        };
    }

    /// <summary>How this process reaches its own broker bound to <paramref name="bound"/>: through loopback when it binds every address.</summary>
    private static string LocalHost(System.Net.IPAddress bound) =>
        bound.Equals(System.Net.IPAddress.Any) ? "127.0.0.1" : bound.Equals(System.Net.IPAddress.IPv6Any) ? "::1" : bound.ToString();

    private static OrchestratorOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<OrchestratorOptions>>().Value;
}
