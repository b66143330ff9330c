using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Wafer.Cli.Configuration;
using Microsoft.Extensions.Hosting;
using Wafer.Protocol.Transport;
using Wafer.Runtime.Agent;
using Wafer.Runtime.Hosting;

namespace Wafer.Cli.Commands;

/// <summary><c>wafer runtime --join mqtt://HOST:PORT</c>: a runtime that joins a fleet and serves what the orchestrator places on it.</summary>
public static class RuntimeCommand
{
    public static Command Create()
    {
        var join = new Option<string>("--join") { Description = "The fleet's MQTT broker: mqtt://HOST:PORT or mqtts://HOST:PORT (user:password@ allowed)", Required = true };
        var name = new Option<string?>("--name") { Description = "Name shown in the fleet (default HOSTNAME-IDPREFIX)" };
        var labels = new Option<string?>("--labels") { Description = "Labels for placement constraints: k=v,k2=v2" };
        var port = new Option<int>("--port") { Description = "HTTP port (0 picks a free one)", DefaultValueFactory = _ => RuntimeOptions.DefaultPort };
        var host = new Option<string>("--host") { Description = "Address to bind (loopback by default)", DefaultValueFactory = _ => "127.0.0.1" };
        var advertise = new Option<string?>("--advertise") { Description = "URL the gateway reaches this runtime at (default: the bound address)" };
        var h2cPort = new Option<int>("--h2cPort") { Description = "Port of the HTTP/2 cleartext listener gateways send calls to: 0 picks a free one (not announced with --advertise), -1 turns it off" };
        var plugins = new Option<string?>("--plugins") { Description = "Folder of local plugins served beside the placed ones (default: an empty folder in the storage path)" };
        var storage = new Option<string?>("--storagePath") { Description = "Runtime id, placed modules, state and compiled-code cache (default $HOME/.wafer); one per runtime. Unlike Modus's --storagePath, local plugins are not read from it: that is --plugins" };
        var database = new Option<string?>("--db") { Description = "State database: a PostgreSQL connection string, or a SQLite file (default: wafer.db in the storage path)" };
        var token = new Option<string?>("--token") { Description = "API token (or WAFER_TOKEN): control endpoints need it, and it is sent when fetching artifacts; give a fleet runtime the orchestrator's token" };
        var mqttUser = new Option<string?>("--mqttUser") { Description = "Broker user name (or WAFER_MQTT_USERNAME)" };
        var mqttPassword = new Option<string?>("--mqttPassword") { Description = "Broker password (or WAFER_MQTT_PASSWORD)" };
        var mqttCa = new Option<string?>("--mqttCa") { Description = "PEM file of the CA an mqtts:// broker's certificate chains to (or WAFER_MQTT_CA)" };
        var keepalive = new Option<string>("--keepalive") { Description = "Keepalive interval (e.g. 5s, 500ms)", DefaultValueFactory = _ => "5s" };
        var jsonLogs = new Option<bool>("--jsonlogs") { Description = "Write log lines as JSON" };
        var refresh = new Option<string>("--refresh") { Description = "Poll interval for changes of the local plugins (--plugins, or --s3bucket's folder), e.g. 5s, 500ms", DefaultValueFactory = _ => "5s" };
        var noReload = new Option<bool>("--noreload") { Description = "Load the local plugins once; ignore later changes" };
        var allowFolders = new Option<string?>("--allowFolders") { Description = "Host folders plugins' 'files' may name beyond their own data folders: /srv/a,/srv/b (or WAFER_ALLOW_FOLDERS)" };
        var insecure = ServerStart.InsecureOption();
        var realm = RealmFlag.Create();

        var command = new Command("runtime", "Run a runtime that joins a fleet through an MQTT broker")
        {
            join, name, labels, port, host, advertise, h2cPort, plugins, storage, database, token, mqttUser, mqttPassword, mqttCa, keepalive, jsonLogs, allowFolders, insecure, refresh, noReload, realm,
        };
        var limits = new RuntimeLimitFlags();
        limits.AddTo(command);
        var traces = new TracesFlag();
        traces.AddTo(command);
        var stateFlags = new StateFlags();
        stateFlags.AddTo(command);
        var compatibility = new CompatibilityFlags();
        compatibility.AddTo(command, plugins);
        var settings = SettingTables.Runtime();
        settings.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!DurationParser.TryParse(parse.GetValue(keepalive)!, out var interval))
            {
                return ServerStart.Usage($"--keepalive: '{parse.GetValue(keepalive)}' is not a duration such as 5s or 500ms");
            }

            if (!DurationParser.TryParse(parse.GetValue(refresh)!, out var refreshInterval))
            {
                return ServerStart.Usage($"--refresh: '{parse.GetValue(refresh)}' is not a duration such as 5s or 500ms");
            }

            if (!TryParseLabels(parse.GetValue(labels), out var labelMap, out var labelError))
            {
                return ServerStart.Usage($"--labels: {labelError}");
            }

            var apiToken = parse.GetValue(token) is { Length: > 0 } given ? given : null;
            var bindHost = parse.GetValue(host)!;
            if (ServerStart.RefuseExposed("the runtime", bindHost, apiToken, parse.GetValue(insecure)) is { } exposed)
            {
                return exposed;
            }

            var storagePath = Path.GetFullPath(parse.GetValue(storage) ?? RuntimeOptions.DefaultStoragePath());
            var pluginsPath = parse.GetValue(plugins) is { } folder ? Path.GetFullPath(folder) : Path.Combine(storagePath, "plugins");
            if (parse.GetValue(plugins) is null)
            {
                Directory.CreateDirectory(pluginsPath);
            }

            var options = new RuntimeOptions
            {
                PluginsPath = pluginsPath,
                Refresh = refreshInterval,
                NoReload = parse.GetValue(noReload),
                StoragePath = storagePath,
                Database = parse.GetValue(database),
                ApiToken = apiToken,
                AllowFolders = RuntimeOptions.ParseFolders(parse.GetValue(allowFolders)),
                Agent = new AgentOptions
                {
                    Join = parse.GetValue(join),
                    Realm = RealmFlag.Resolve(parse, realm),
                    Name = parse.GetValue(name),
                    Labels = labelMap,
                    AdvertisedUrl = parse.GetValue(advertise),
                    H2cPort = parse.GetValue(h2cPort),
                    KeepaliveInterval = interval,
                    MqttUsername = parse.GetValue(mqttUser),
                    MqttPassword = parse.GetValue(mqttPassword),
                    MqttCa = parse.GetValue(mqttCa),
                },
            };
            if (limits.Apply(parse, options) is { } limitError)
            {
                return ServerStart.Usage(limitError);
            }

            var configuration = ServerStart.NewConfiguration();
            var flagErrors = stateFlags.Apply(parse, options).Concat(compatibility.Apply(parse, options, parse.GetValue(plugins), storagePath))
                .Concat(settings.Collect(parse, configuration)).ToArray();
            OptionsBinding.Bind(configuration, "Runtime", options);
            if (ServerStart.Refuse(flagErrors.Length > 0 ? flagErrors : options.Validate()) is { } refused)
            {
                return refused;
            }

            var url = $"http://{parse.GetValue(host)}:{parse.GetValue(port)}";
            var app = RuntimeApp.Build(options, url, parse.GetValue(jsonLogs), services: traces.Services(parse), configuration: configuration);
            ServerStart.WarnIfInsecure(app, "the runtime", url, bindHost, apiToken, parse.GetValue(insecure));
            // the call port is a second listener: a failure to bind it names its own flag
            var listening = options.Agent.ListensForH2c && options.Agent.H2cPort > 0
                ? $"{url} (--port) or http://{parse.GetValue(host)}:{options.Agent.H2cPort} (--h2cPort)"
                : $"{url} (--port)";
            if (await ServerStart.StartAsync(app, "the runtime", listening, cancellationToken) is { } failed)
            {
                return failed;
            }

            var agent = app.Services.GetRequiredService<RuntimeAgent>();
            BrokerAddress.TryParse(options.Agent.Join!, out var broker, out _);
            PlainOutput.Writer.WriteLine($"runtime {agent.RuntimeId} ({agent.Name}) serving on {agent.Url}, joining {broker}");
            await app.WaitForShutdownAsync(cancellationToken);
            await app.DisposeAsync();
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Parses <c>k=v,k2=v2</c>; an empty or missing text is no labels.</summary>
    public static bool TryParseLabels(string? text, out Dictionary<string, string> labels, out string error)
    {
        labels = new Dictionary<string, string>(StringComparer.Ordinal);
        error = "";
        foreach (var pair in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                error = $"'{pair}' is not key=value";
                return false;
            }

            labels[pair[..equals].Trim()] = pair[(equals + 1)..].Trim();
        }

        return true;
    }
}
