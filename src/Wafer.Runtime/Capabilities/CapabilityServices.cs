using Microsoft.Extensions.DependencyInjection;
using Wafer.Runtime.Capabilities.Config;
using Wafer.Runtime.Capabilities.GraphQL;
using Wafer.Runtime.Capabilities.Http;
using Wafer.Runtime.Capabilities.Models;
using Wafer.Runtime.Capabilities.Secrets;
using Wafer.Runtime.Capabilities.Sql;

namespace Wafer.Runtime.Capabilities;

/// <summary>Registers the host capabilities of docs/abi.md §3.1 and what they share.</summary>
internal static class CapabilityServices
{
    public static IServiceCollection AddWaferCapabilities(this IServiceCollection services)
    {
        services.AddSingleton<SecretStore>();
        services.AddSingleton<ConnectionSecrets>();
        services.AddSingleton(_ => new OutboundHttp());
        services.AddSingleton<PostgresDataSources>();
        services.AddSingleton<InferenceRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<InferenceRecorder>());
        services.AddSingleton<IHostCapability, HttpFetchCapability>();
        services.AddSingleton<IHostCapability, ModelsCapability>();
        services.AddSingleton<IHostCapability, SqlCapability>();
        services.AddSingleton<IHostCapability, GraphQLCapability>();
        services.AddSingleton<IHostCapability, ConfigCapability>();
        services.AddSingleton<CapabilityDispatcher>();
        return services;
    }
}
