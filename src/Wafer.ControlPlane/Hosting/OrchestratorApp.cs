using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wafer.Hosting;
using Wafer.Hosting.Logging;

namespace Wafer.ControlPlane.Hosting;

/// <summary>Builds the orchestrator's web application (<c>wafer orchestrator</c>, tests).</summary>
public static class OrchestratorApp
{
    /// <param name="services">Last say over the services (tests swap in fakes here).</param>
    /// <param name="configuration">Settings that win over the application's own configuration (the <c>Gateway</c> section).</param>
    public static WebApplication Build(
        OrchestratorOptions options, bool jsonLogs = false, LogLevel minimumLevel = LogLevel.Information, Action<IServiceCollection>? services = null, IEnumerable<KeyValuePair<string, string?>>? configuration = null)
    {
        var builder = ServerBuilder.Create();
        if (configuration is not null)
        {
            builder.Configuration.AddInMemoryCollection(configuration);
        }

        builder.WebHost.UseUrls($"http://{options.Host}:{options.Port}");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
        });
        builder.Logging.AddWaferConsole(jsonLogs, minimumLevel);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Logging.AddFilter("Yarp", LogLevel.Error); // the gateway logs its own forwarding failures
        builder.Services.AddWaferOrchestrator(o => Copy(options, o));
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapWaferOrchestrator();
        return app;
    }

    private static void Copy(OrchestratorOptions from, OrchestratorOptions to)
    {
        to.Port = from.Port;
        to.Host = from.Host;
        to.PublicUrl = from.PublicUrl;
        to.Mqtt = from.Mqtt;
        to.Realm = from.Realm;
        to.BrokerPort = from.BrokerPort;
        to.BrokerHost = from.BrokerHost;
        to.MqttUsername = from.MqttUsername;
        to.MqttPassword = from.MqttPassword;
        to.MqttCa = from.MqttCa;
        to.Database = from.Database;
        to.StoragePath = from.StoragePath;
        to.Artifacts = from.Artifacts;
        to.ArtifactStoreTimeout = from.ArtifactStoreTimeout;
        to.KeepaliveGraceMissed = from.KeepaliveGraceMissed;
        to.CommandTimeout = from.CommandTimeout;
        to.DrainTimeout = from.DrainTimeout;
        to.ReconcileInterval = from.ReconcileInterval;
        to.RuntimeProbeTimeout = from.RuntimeProbeTimeout;
        to.RuntimeProbeInterval = from.RuntimeProbeInterval;
        to.RouteGrace = from.RouteGrace;
        to.MaxArtifactBytes = from.MaxArtifactBytes;
        to.ApiToken = from.ApiToken;
    }
}
