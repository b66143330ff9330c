using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wafer.Gateway.Feed;
using Wafer.Gateway.Http;
using Wafer.Gateway.Jobs;
using Wafer.Hosting;
using Wafer.Hosting.Console;
using Wafer.Hosting.Http;
using Wafer.Hosting.Logging;
using Wafer.Hosting.Telemetry;
using Wafer.Hosting.Telemetry.Tracing;

namespace Wafer.Gateway.Hosting;

/// <summary>
/// Builds a standalone gateway (<c>wafer gateway --orchestrator URL</c>): the public routes fed from the
/// orchestrator's <c>/api/routes</c>, and the orchestrator's REST API passed through (<see cref="ControlPassthrough"/>),
/// so one address serves the fleet.
/// </summary>
public static class GatewayApp
{
    public static WebApplication Build(GatewayOptions options, bool jsonLogs = false, LogLevel minimumLevel = LogLevel.Information, IEnumerable<KeyValuePair<string, string?>>? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = ServerBuilder.Create();
        if (configuration is not null)
        {
            builder.Configuration.AddInMemoryCollection(configuration); // the Gateway section's limits and timings, over appsettings.json and Gateway__* variables
        }

        builder.WebHost.UseUrls($"http://{options.Host}:{options.Port}");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.Logging.AddWaferConsole(jsonLogs, minimumLevel);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Logging.AddFilter("Yarp", LogLevel.Error);
        builder.Services.AddWaferProblems();
        builder.Services.AddWaferGateway(o =>
        {
            o.Orchestrator = options.Orchestrator;
            o.Port = options.Port;
            o.Host = options.Host;
            o.Token = options.Token; // the limits and timings come from the configuration's Gateway section
        });
        builder.Services.AddRemoteRouteFeed();
        builder.Services.AddSingleton<ControlPassthrough>();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseWaferGatewayFunctions();
        app.UseWaferCrossSiteGuard(hasToken: !string.IsNullOrEmpty(options.Token)); // after the function calls, which it never concerns: the hot path stays as it was
        app.UseStatusCodePages();
        app.UseWaferGatewayHandlers();
        app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
        app.MapGet("/readyz", (RemoteRouteFeed feed) => feed.HasRoutes
            ? Results.Ok(new { status = "ready" })
            : GatewayProblems.NotReady());
        app.MapWaferMetrics();
        app.MapWaferTraces(context => BearerToken.Check(context.Request, context.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value.Token) == BearerCheck.Passed); // this gateway's own spans
        app.MapWaferConsole();
        app.Map("/api/{**rest}", (HttpContext context, ControlPassthrough control) => control.ForwardAsync(context));
        app.MapWaferGateway();
        app.MapWaferGatewayJobs();
        return app;
    }
}
