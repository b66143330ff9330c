using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wafer.Hosting.Console;
using Wafer.Hosting.Http;
using Wafer.Hosting.Telemetry;
using Wafer.Hosting.Telemetry.Tracing;
using Wafer.Runtime.Agent;
using Wafer.Runtime.Capabilities;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.Catalog.S3;
using Wafer.Runtime.Execution;
using Wafer.Runtime.GraphQL;
using Wafer.Runtime.Http;
using Wafer.Runtime.Invocation;
using Wafer.Runtime.Lambda;
using Wafer.Runtime.Logs;
using Wafer.Runtime.Modus;
using Wafer.Runtime.Storage;
using Wafer.Runtime.Telemetry;
using Wafer.Runtime.Uploads;
using Wafer.Wasm;

namespace Wafer.Runtime.Hosting;

/// <summary>Registers and maps everything a runtime serves.</summary>
internal static class RuntimeServices
{
    public static IServiceCollection AddWaferRuntime(this IServiceCollection services, Action<RuntimeOptions> configure)
    {
        services.AddOptions<RuntimeOptions>()
            .Configure(configure)
            .PostConfigure(o => o.Agent.ControlToken ??= o.ApiToken) // one token: control endpoints, artifacts, the agent
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<RuntimeOptions>, RuntimeOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RuntimeOptions>>().Value;
            return new WasmHost(
                new WasmHostOptions
                {
                    CacheDirectory = Path.Combine(options.StoragePath, "cache"),
                    ModuleLimits = options.ModuleLimits,
                    MaxLogLineBytes = options.Logs.LineBytes,
                    MaxMessageBytes = options.Logs.ErrorMessageBytes,
                },
                sp.GetRequiredService<ILogger<WasmHost>>());
        });
        services.AddSingleton<PluginCatalog>();
        services.AddSingleton(sp => new FolderGrants(sp.GetRequiredService<IOptions<RuntimeOptions>>()));
        services.AddSingleton<PluginLoader>();
        services.AddSingleton<PluginReloader>();
        services.AddSingleton<S3PluginMirror>();
        services.AddHostedService(sp => sp.GetRequiredService<S3PluginMirror>()); // copies the bucket before the reloader's first scan
        services.AddHostedService(sp => sp.GetRequiredService<PluginReloader>());
        services.AddSingleton<PluginFiles>();
        services.AddSingleton<UploadedPlugins>();
        services.AddHostedService(sp => sp.GetRequiredService<UploadedPlugins>());
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RuntimeOptions>>().Value;
            return SqlDatabase.Open(options.Database, options.StoragePath);
        });
        services.AddSingleton<StateDatabaseHealth>();
        services.AddSingleton<StateDatabaseMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<StateDatabaseMonitor>()); // before anything that uses the database
        services.AddSingleton<IInferenceStore, SqlInferenceStore>();
        services.AddSingleton<ICallLogStore, SqlCallLogStore>();
        services.AddSingleton<IJobStore, SqlJobStore>();
        services.AddSingleton<SqlRetention>();
        services.AddSingleton<StateRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<StateRetention>());
        services.AddSingleton<CallLogTail>();
        services.AddSingleton<CallLogWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<CallLogWriter>());
        services.AddSingleton<GuestLogSink>();
        services.AddSingleton<CallCounters>();
        services.AddWaferProblems();
        services.AddWaferMetrics();
        services.AddWaferTracing("wafer-runtime", RuntimeTracing.SourceName, CapabilityTracing.SourceName);
        services.AddSingleton<RuntimeMetrics>();
        services.AddSingleton<FunctionInvoker>();
        services.AddSingleton(sp => new CallSlots(sp.GetRequiredService<IOptions<RuntimeOptions>>().Value.Slots()));
        services.AddSingleton<FunctionCalls>();
        services.AddSingleton<Calls.CallPortGuard>();
        services.AddWaferCapabilities();
        services.AddWaferModus();
        services.AddWaferGraphQL();
        services.AddWaferCommands();
        services.AddWaferAgent();
        services.AddSingleton<Triggers.RuntimeTriggers>();
        services.AddHostedService(sp => sp.GetRequiredService<Triggers.RuntimeTriggers>());
        return services;
    }

    public static IEndpointRouteBuilder MapWaferRuntime(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapWaferFunctions();
        endpoints.MapWaferIntrospection();
        endpoints.MapWaferInfo();
        endpoints.MapWaferPluginControl();
        endpoints.MapWaferState();
        endpoints.MapWaferLogStream();
        endpoints.MapWaferCommands();
        endpoints.MapWaferGraphQL();
        endpoints.MapWaferDgraphLambda();
        endpoints.MapWaferMetrics();
        endpoints.MapWaferTraces(context => BearerToken.Check(context.Request, context.RequestServices.GetRequiredService<IOptions<RuntimeOptions>>().Value.ApiToken) == BearerCheck.Passed);
        endpoints.MapWaferConsole();
        return endpoints;
    }
}
