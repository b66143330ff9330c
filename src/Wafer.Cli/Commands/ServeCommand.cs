using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Spectre.Console;
using Wafer.Cli.Building;
using Wafer.Cli.Configuration;
using Wafer.ControlPlane.Hosting;
using Wafer.ControlPlane.Scheduling;
using Wafer.Protocol.Manifest;
using Wafer.Runtime.Agent;
using Wafer.Runtime.Hosting;

namespace Wafer.Cli.Commands;

/// <summary>
/// <c>wafer serve</c>: a one-machine fleet in one process. A runtime serves the plugins folder; beside it an
/// orchestrator with its in-process MQTT broker accepts deployments and places them on that runtime.
/// <c>--standalone</c> runs the runtime alone.
/// </summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var plugins = new Option<string>("--plugins") { Description = "Folder of plugins (.wasm + manifest, or plugin projects)", DefaultValueFactory = _ => "plugins" };
        var port = new Option<int>("--port") { Description = "HTTP port of the runtime (0 picks a free one)", DefaultValueFactory = _ => RuntimeOptions.DefaultPort };
        var host = new Option<string>("--host") { Description = "Address the runtime and the orchestrator bind (loopback by default)", DefaultValueFactory = _ => "127.0.0.1" };
        var refresh = new Option<string>("--refresh") { Description = "Poll interval for plugin changes (e.g. 5s, 500ms)", DefaultValueFactory = _ => "5s" };
        var noReload = new Option<bool>("--noreload") { Description = "Load plugins once; ignore later changes" };
        var storage = new Option<string?>("--storagePath") { Description = "Where state and the compiled-code cache live (default $HOME/.wafer); the orchestrator uses its 'orchestrator' subfolder. Unlike Modus's --storagePath, plugins are not read from it: that is --plugins" };
        var database = new Option<string?>("--db") { Description = "The runtime's state database: a PostgreSQL connection string, or a SQLite file (default: wafer.db in the storage path)" };
        var jsonLogs = new Option<bool>("--jsonlogs") { Description = "Write log lines as JSON" };
        var build = new Option<bool>("--build") { Description = "Build plugin project folders before serving" };
        var orchestratorPort = new Option<int>("--orchestratorPort") { Description = "HTTP port of the orchestrator's REST API (0 picks a free one)", DefaultValueFactory = _ => OrchestratorOptions.DefaultPort };
        var brokerPort = new Option<int>("--brokerPort") { Description = "Port of the in-process MQTT broker, on 127.0.0.1 (0 picks a free one)", DefaultValueFactory = _ => OrchestratorOptions.DefaultBrokerPort };
        var standalone = new Option<bool>("--standalone") { Description = "Serve the plugins folder only: no orchestrator, no broker" };
        var token = new Option<string?>("--token") { Description = "The fleet token (or WAFER_TOKEN): the runtime's and the orchestrator's control operations need it, the control channel is signed with it, and the in-process broker then requires the credentials derived from it" };
        var allowFolders = new Option<string?>("--allowFolders") { Description = "Host folders plugins' 'files' may name beyond their own data folders: /srv/a,/srv/b (or WAFER_ALLOW_FOLDERS)" };
        var artifacts = new Option<string?>("--artifacts") { Description = ArtifactsDescription };
        var mqtt = new Option<string?>("--mqtt") { Description = "With --standalone: the broker the plugins' MQTT triggers subscribe on, mqtt://user:password@HOST:PORT (or WAFER_MQTT); without --standalone they use the in-process broker" };
        var insecure = ServerStart.InsecureOption();
        var realm = RealmFlag.Create();

        var command = new Command("serve", "Serve the plugins in a folder, with an orchestrator that accepts deployments, in one process")
        {
            plugins, port, host, refresh, noReload, storage, database, jsonLogs, build, orchestratorPort, brokerPort, standalone, token, allowFolders, artifacts, mqtt, insecure, realm,
        };
        var limits = new RuntimeLimitFlags();
        limits.AddTo(command);
        var traces = new TracesFlag();
        traces.AddTo(command);
        var stateFlags = new StateFlags();
        stateFlags.AddTo(command);
        var compatibility = new CompatibilityFlags();
        compatibility.AddTo(command, plugins);
        var runtimeSettings = SettingTables.Runtime();
        runtimeSettings.AddTo(command);
        var orchestratorSettings = SettingTables.Orchestrator();
        orchestratorSettings.AddTo(command);
        var gatewaySettings = SettingTables.ServeGateway();
        gatewaySettings.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!DurationParser.TryParse(parse.GetValue(refresh)!, out var interval))
            {
                return ServerStart.Usage($"--refresh: '{parse.GetValue(refresh)}' is not a duration such as 5s or 500ms");
            }

            var storagePath = Path.GetFullPath(parse.GetValue(storage) ?? RuntimeOptions.DefaultStoragePath());
            var apiToken = parse.GetValue(token) is { Length: > 0 } given ? given : null;
            var bindHost = parse.GetValue(host)!;
            if (ServerStart.RefuseExposed("wafer serve", bindHost, apiToken, parse.GetValue(insecure)) is { } exposed)
            {
                return exposed;
            }

            var runtime = new RuntimeOptions
            {
                AllowFolders = RuntimeOptions.ParseFolders(parse.GetValue(allowFolders)),
                PluginsPath = Path.GetFullPath(parse.GetValue(plugins)!),
                Refresh = interval,
                NoReload = parse.GetValue(noReload),
                StoragePath = storagePath,
                Database = parse.GetValue(database),
                ApiToken = apiToken,
            };
            if (parse.GetValue(mqtt) is { Length: > 0 } triggerBroker)
            {
                if (!parse.GetValue(standalone))
                {
                    return ServerStart.Usage("--mqtt is for --standalone: without it the orchestrator serves MQTT triggers on the in-process broker (--brokerPort)");
                }

                runtime.Triggers.Mqtt = triggerBroker;
            }

            var fleet = parse.GetValue(standalone) ? null : new OrchestratorOptions
            {
                Port = parse.GetValue(orchestratorPort),
                Host = parse.GetValue(host)!,
                BrokerPort = parse.GetValue(brokerPort),
                Realm = RealmFlag.Resolve(parse, realm),
                StoragePath = Path.Combine(storagePath, "orchestrator"),
                Artifacts = parse.GetValue(artifacts),
                ApiToken = apiToken,
            };
            if (fleet is null && parse.GetValue(artifacts) is not null)
            {
                return ServerStart.Usage("--artifacts is the orchestrator's artifact store, and --standalone runs none: drop one of them");
            }

            if (fleet is null && gatewaySettings.FirstGiven(parse) is { } gatewayFlag)
            {
                return ServerStart.Usage($"{gatewayFlag.Name} is a setting of the orchestrator's gateway, and --standalone runs none: drop one of them");
            }

            if (limits.Apply(parse, runtime) is { } limitError)
            {
                return ServerStart.Usage(limitError);
            }

            var configuration = ServerStart.NewConfiguration();
            var flagErrors = stateFlags.Apply(parse, runtime).Concat(
                compatibility.Apply(parse, runtime, parse.GetResult(plugins) is { Implicit: false } ? parse.GetValue(plugins) : null, storagePath))
                .Concat(runtimeSettings.Collect(parse, configuration)).Concat(orchestratorSettings.Collect(parse, configuration))
                .Concat(gatewaySettings.Collect(parse, configuration)).ToArray();
            if (fleet is not null)
            {
                SettingTables.ShareWithGateway(configuration); // --maxRequestBytes and the GraphQL limits hold at both doors
            }

            OptionsBinding.Bind(configuration, "Runtime", runtime);
            if (fleet is not null)
            {
                OptionsBinding.Bind(configuration, "Orchestrator", fleet);
            }

            if (ServerStart.Refuse(flagErrors.Length > 0 ? flagErrors
                    : runtime.Validate().Concat(fleet is null ? [] : BrokerPortAllowed(fleet.Validate(), fleet.BrokerPort))) is { } refused)
            {
                return refused;
            }

            if (parse.GetValue(build) && await BuildProjectsAsync(runtime.PluginsPath, cancellationToken) is var code and not ExitCodes.Ok)
            {
                return code;
            }

            var jsonLogLines = parse.GetValue(jsonLogs);
            WebApplication? orchestrator = null;
            Task<int?>? orchestratorStart = null;
            var brokerReady = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var spans = TracesFlag.OneStore();
            if (fleet is not null)
            {
                if (fleet.BrokerPort == 0)
                {
                    fleet.BrokerPort = FreeLoopbackPort();
                }

                // The orchestrator is built and started beside the runtime, which serves the folder without it; the
                // runtime's agent (and its trigger and channel clients) wait for its broker (FleetBrokerReady).
                orchestratorStart = Task.Run(async () =>
                {
                    // Ctrl-C reaches the runtime's lifetime only; the orchestrator stops after it (below)
                    orchestrator = OrchestratorApp.Build(fleet, jsonLogLines, services: traces.Services(parse, s =>
                    {
                        s.AddSingleton<IHostLifetime, NoSignalsLifetime>();
                        spans(s);
                    }), configuration: configuration);
                    ServerStart.WarnIfInsecure(orchestrator, "the orchestrator", $"http://{fleet.Host}:{fleet.Port}", bindHost, apiToken, parse.GetValue(insecure));
                    var failed = await ServerStart.StartAsync(orchestrator, "the orchestrator", $"http://{fleet.Host}:{fleet.Port} (--orchestratorPort) or the broker port {fleet.BrokerPort} (--brokerPort)");
                    if (failed is null)
                    {
                        brokerReady.TrySetResult();
                    }

                    return failed;
                }, CancellationToken.None);

                // the runtime joins the orchestrator's own broker; capacity as a stand-alone runtime's
                runtime.Agent = new AgentOptions { Join = $"mqtt://127.0.0.1:{fleet.BrokerPort}", Realm = fleet.Realm };
            }

            var url = $"http://{parse.GetValue(host)}:{parse.GetValue(port)}";
            var app = RuntimeApp.Build(runtime, url, jsonLogLines, services: traces.Services(parse, s =>
            {
                spans(s);
                if (fleet is not null)
                {
                    s.AddSingleton(new FleetBrokerReady(brokerReady.Task));
                }
            }), configuration: configuration);
            ServerStart.WarnIfInsecure(app, "the runtime", url, bindHost, apiToken, parse.GetValue(insecure));
            var runtimeFailed = await ServerStart.StartAsync(app, "the runtime", $"{url} (--port)");
            var orchestratorFailed = orchestratorStart is null ? null : await orchestratorStart;
            if (runtimeFailed is not null || orchestratorFailed is not null)
            {
                // a failed start has disposed its application already; stop the one that started
                if (runtimeFailed is null)
                {
                    await StopAsync(app);
                }

                if (orchestratorFailed is null)
                {
                    await StopAsync(orchestrator);
                }

                return orchestratorFailed ?? runtimeFailed!.Value;
            }

            var runtimeUrl = BoundUrl(app) ?? url;
            // one plain line (no console markup, which wraps at 80 columns when redirected) naming every address
            var fleetText = orchestrator is null
                ? ""
                : $"; orchestrator {orchestrator.Services.GetRequiredService<IOrchestratorAddress>().BaseUrl} (wafer deploy --server URL), " +
                  $"broker mqtt://127.0.0.1:{fleet!.BrokerPort} (in-process)";
            PlainOutput.Writer.WriteLine($"Wafer is serving {(object?)runtime.S3Plugins?.Location ?? runtime.PluginsPath} on {runtimeUrl} (POST {runtimeUrl}/functions/NAME, GraphQL {runtimeUrl}/graphql){fleetText}");

            try
            {
                await app.WaitForShutdownAsync(cancellationToken);
            }
            finally
            {
                // the runtime first: it says goodbye over the broker the orchestrator still runs
                await StopAsync(app);
                await StopAsync(orchestrator);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task StopAsync(WebApplication? app)
    {
        if (app is not null)
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }

    /// <summary>What <c>--artifacts</c> says in <c>wafer serve</c> and <c>wafer orchestrator</c>.</summary>
    internal const string ArtifactsDescription =
        "Where the orchestrator keeps uploaded plugins: a folder, or s3://BUCKET/PREFIX (endpoint and credentials from the standard AWS settings), "
        + "which several orchestrators can share (default: 'artifacts' in the storage path)";

    /// <summary>The orchestrator's own check refuses broker port 0, which serve resolves to a free port itself.</summary>
    private static IEnumerable<string> BrokerPortAllowed(IReadOnlyList<string> errors, int brokerPort) =>
        brokerPort == 0 ? errors.Where(e => !e.StartsWith("BrokerPort", StringComparison.Ordinal)) : errors;

    /// <summary>
    /// A port free on 127.0.0.1 now. The broker needs it before it starts because the runtime's join URL and the
    /// orchestrator's own MQTT client are built from it.
    /// </summary>
    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? BoundUrl(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()?.TrimEnd('/');

    /// <summary>A host lifetime that leaves Ctrl-C and SIGTERM to the other application in the process.</summary>
    private sealed class NoSignalsLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private static async Task<int> BuildProjectsAsync(string folder, CancellationToken cancellationToken)
    {
        foreach (var directory in Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal))
        {
            if (File.Exists(Path.Combine(directory, PluginManifest.FileName)) && File.Exists(Path.Combine(directory, "package.json")))
            {
                AnsiConsole.MarkupLineInterpolated($"building [blue]{Path.GetFileName(directory)}[/]");
                var code = await PluginBuilder.BuildAsync(directory, cancellationToken, stdoutToStderr: PlainOutput.JsonLogs);
                if (code != ExitCodes.Ok)
                {
                    return code;
                }
            }
        }

        return ExitCodes.Ok;
    }
}
