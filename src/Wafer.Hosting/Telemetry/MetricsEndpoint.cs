using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Prometheus;

namespace Wafer.Hosting.Telemetry;

/// <summary>
/// <c>GET /metrics</c> in the Prometheus text format (prometheus-net): the process and .NET runtime metrics and what
/// the application's parts record, in a registry per application, since several can share a process (<c>serve</c>
/// runs a runtime and an orchestrator; tests run many).
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static IServiceCollection AddWaferMetrics(this IServiceCollection services)
    {
        services.TryAddSingleton(_ =>
        {
            var registry = Metrics.NewCustomRegistry();
            DotNetStats.Register(registry);
            return registry;
        });
        return services;
    }

    public static IEndpointConventionBuilder MapWaferMetrics(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapMetrics(Path, endpoints.ServiceProvider.GetRequiredService<CollectorRegistry>())
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head])); // other methods: 405

    /// <summary>Buckets for call durations, 100 µs to 30 s (a call's default timeout is 10 s).</summary>
    public static readonly double[] DurationBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
}
