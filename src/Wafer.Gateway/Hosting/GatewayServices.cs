using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Wafer.Gateway.Feed;
using Wafer.Gateway.Forwarding;
using Wafer.Gateway.GraphQL;
using Wafer.Gateway.Health;
using Wafer.Gateway.Routes;
using Wafer.Hosting.Telemetry;
using Wafer.Hosting.Telemetry.Tracing;

namespace Wafer.Gateway.Hosting;

/// <summary>Registers the gateway's services; its routes come from whoever calls <see cref="RouteState.Publish"/>.</summary>
public static class GatewayServices
{
    public static IServiceCollection AddWaferGateway(this IServiceCollection services, Action<GatewayOptions>? configure = null)
    {
        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section).Configure(o => configure?.Invoke(o)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpForwarder();
        services.AddSingleton<DestinationRegistry>();
        services.AddSingleton<RouteSnapshotBuilder>();
        services.AddSingleton<RouteState>();
        services.AddSingleton<RuntimeClient>();
        services.AddWaferMetrics();
        services.AddWaferTracing("wafer-gateway", GatewayTracing.SourceName);
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<ReplicaLoop>();
        services.AddSingleton<GatewayForwarder>();
        services.AddSingleton<GatewaySchemaSource>();
        services.AddHostedService<HealthMonitor>();
        return services;
    }

    /// <summary>Feeds the routes from a remote orchestrator (<see cref="GatewayOptions.Orchestrator"/>).</summary>
    public static IServiceCollection AddRemoteRouteFeed(this IServiceCollection services)
    {
        services.AddSingleton<RemoteRouteFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<RemoteRouteFeed>());
        return services;
    }
}
