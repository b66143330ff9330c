using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wafer.Hosting;
using Wafer.Hosting.Http;
using Wafer.Hosting.Logging;
using Wafer.Runtime.Handlers;
using Wafer.Runtime.Modus.Auth;

namespace Wafer.Runtime.Hosting;

/// <summary>Builds the web application of a stand-alone runtime (<c>wafer serve</c>, tests, benchmarks).</summary>
public static class RuntimeApp
{
    /// <param name="services">Last say over the services (tests swap in fakes here).</param>
    /// <param name="configuration">Settings that win over the application's own configuration (sections such as <c>Jobs</c>, <c>Handlers</c>).</param>
    public static WebApplication Build(
        RuntimeOptions options, string url, bool jsonLogs = false, LogLevel minimumLevel = LogLevel.Information, Action<IServiceCollection>? services = null, IEnumerable<KeyValuePair<string, string?>>? configuration = null)
    {
        var builder = ServerBuilder.Create();
        if (configuration is not null)
        {
            builder.Configuration.AddInMemoryCollection(configuration);
        }

        var h2c = new H2cEndpoint();
        builder.Services.AddSingleton(h2c);
        if (!options.Agent.ListensForH2c)
        {
            builder.WebHost.UseUrls(url);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBytes;
            if (options.Agent.ListensForH2c)
            {
                h2c.Listen(kestrel, url, options.Agent.H2cPort); // both listeners, the URL's first
            }
        });
        builder.Logging.AddWaferConsole(jsonLogs, minimumLevel);
        builder.Services.AddWaferRuntime(o =>
        {
            o.PluginsPath = options.PluginsPath;
            o.Refresh = options.Refresh;
            o.NoReload = options.NoReload;
            o.StoragePath = options.StoragePath;
            o.MaxRequestBytes = options.MaxRequestBytes;
            o.Database = options.Database;
            o.ApiToken = options.ApiToken;
            o.GraphQL = options.GraphQL;
            o.MaxConcurrentCalls = options.MaxConcurrentCalls;
            o.MaxConcurrentCallsPerFunction = options.MaxConcurrentCallsPerFunction;
            o.MaxQueuedCalls = options.MaxQueuedCalls;
            o.QueueTimeout = options.QueueTimeout;
            o.MaxCallsPerConnection = options.MaxCallsPerConnection;
            o.MaxFunctions = options.MaxFunctions;
            o.ModuleLimits = options.ModuleLimits;
            o.Logs = options.Logs;
            o.Retention = options.Retention;
            o.AllowFolders = options.AllowFolders;
            o.Agent = options.Agent;
            o.Triggers = options.Triggers;
            o.S3Plugins = options.S3Plugins;
            o.Dgraph = options.Dgraph;
            o.ModelHost = options.ModelHost;
            o.SecretsDirectory = options.SecretsDirectory;
            o.EnvironmentName = options.EnvironmentName;
        });

        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.UseWaferProblems();
        app.UseWaferCrossSiteGuard(hasToken: !string.IsNullOrEmpty(options.ApiToken));
        app.UseModusRequests();
        app.UseExplorerGate();
        app.UseRouting();
        app.UseWaferHandlers();
        app.MapWaferRuntime();
        return app;
    }
}
