using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wafer.Runtime.Modus.Auth;

namespace Wafer.Runtime.Hosting;

/// <summary>Builds the web application of a stand-alone runtime (<c>wafer serve</c>, tests, benchmarks).</summary>
public static class RuntimeApp
{
    /// <param name="services">Last say over the services (tests swap in fakes here).</param>
    public static WebApplication Build(
        RuntimeOptions options, string url, bool jsonLogs = false, LogLevel minimumLevel = LogLevel.Information, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
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
            o.Agent = options.Agent;
        });

        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.UseModusRequests();
        app.MapWaferRuntime();
        return app;
    }
}
