using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Wafer.Cli.Configuration;
using Wafer.ControlPlane.Hosting;
using Wafer.ControlPlane.Scheduling;

namespace Wafer.Cli.Commands;

/// <summary><c>wafer orchestrator</c>: the fleet's control plane (REST API, artifact store, scheduler, MQTT side).</summary>
public static class OrchestratorCommand
{
    public static Command Create()
    {
        var mqtt = new Option<string?>("--mqtt") { Description = "External MQTT broker: mqtt://[user:password@]HOST:PORT or mqtts://… (default: an in-process broker on 127.0.0.1)" };
        var brokerPort = new Option<int>("--brokerPort") { Description = "Port of the in-process broker (without --mqtt)", DefaultValueFactory = _ => OrchestratorOptions.DefaultBrokerPort };
        var brokerHost = new Option<string>("--brokerHost") { Description = "IP address the in-process broker binds (default 127.0.0.1; 0.0.0.0 for every address, which needs --token)", DefaultValueFactory = _ => "127.0.0.1" };
        var database = new Option<string?>("--db") { Description = "Orchestrator database: a PostgreSQL connection string, or a SQLite file (default: orchestrator.db in the storage path)" };
        var port = new Option<int>("--port") { Description = "HTTP port of the REST API", DefaultValueFactory = _ => OrchestratorOptions.DefaultPort };
        var host = new Option<string>("--host") { Description = "Address to bind (loopback by default)", DefaultValueFactory = _ => "127.0.0.1" };
        var storage = new Option<string?>("--storagePath") { Description = "Where plugin artifacts and the default database live (default $HOME/.wafer/orchestrator)" };
        var artifacts = new Option<string?>("--artifacts") { Description = ServeCommand.ArtifactsDescription };
        var publicUrl = new Option<string?>("--publicUrl") { Description = "URL runtimes reach this orchestrator at (default: the bound address)" };
        var mqttUser = new Option<string?>("--mqttUser") { Description = "Broker user name (or WAFER_MQTT_USERNAME); the in-process broker then requires it" };
        var mqttPassword = new Option<string?>("--mqttPassword") { Description = "Broker password (or WAFER_MQTT_PASSWORD)" };
        var mqttCa = new Option<string?>("--mqttCa") { Description = "PEM file of the CA an mqtts:// broker's certificate chains to (or WAFER_MQTT_CA)" };
        var token = new Option<string?>("--token") { Description = "The fleet token (or WAFER_TOKEN): deploy, stop, drain and artifact downloads need it, and the control channel is signed and its broker users derive from it" };
        var jsonLogs = new Option<bool>("--jsonlogs") { Description = "Write log lines as JSON" };
        var insecure = ServerStart.InsecureOption();
        var realm = RealmFlag.Create();

        var command = new Command("orchestrator", "Run the fleet's orchestrator: REST API, artifact store, scheduler and MQTT control")
        {
            mqtt, brokerPort, brokerHost, database, port, host, storage, artifacts, publicUrl, mqttUser, mqttPassword, mqttCa, token, jsonLogs, insecure, realm,
        };
        var orchestratorSettings = SettingTables.Orchestrator();
        orchestratorSettings.AddTo(command);
        var gatewaySettings = SettingTables.Gateway();
        gatewaySettings.AddTo(command);
        var traces = new TracesFlag();
        traces.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new OrchestratorOptions
            {
                Mqtt = parse.GetValue(mqtt),
                Realm = RealmFlag.Resolve(parse, realm),
                BrokerPort = parse.GetValue(brokerPort),
                BrokerHost = parse.GetValue(brokerHost)!,
                Database = parse.GetValue(database),
                Port = parse.GetValue(port),
                Host = parse.GetValue(host)!,
                StoragePath = Path.GetFullPath(parse.GetValue(storage) ?? OrchestratorOptions.DefaultStoragePath()),
                Artifacts = parse.GetValue(artifacts),
                PublicUrl = parse.GetValue(publicUrl),
                MqttUsername = parse.GetValue(mqttUser),
                MqttPassword = parse.GetValue(mqttPassword),
                MqttCa = parse.GetValue(mqttCa),
                ApiToken = parse.GetValue(token) is { Length: > 0 } apiToken ? apiToken : null,
            };
            var configuration = ServerStart.NewConfiguration();
            var flagErrors = orchestratorSettings.Collect(parse, configuration).Concat(gatewaySettings.Collect(parse, configuration)).ToArray();
            OptionsBinding.Bind(configuration, "Orchestrator", options);
            if (parse.GetValue<string?>("--config") is { } configPath && SilverLineConfig.IsSilverLines(configPath))
            {
                SilverLineConfig file;
                try
                {
                    file = SilverLineConfig.Read(configPath);
                }
                catch (FormatException ex)
                {
                    return ServerStart.Usage(ex.Message);
                }

                // A flag given, or the variable standing for it, wins over the file.
                var variables = new Dictionary<string, string>
                {
                    ["--realm"] = RealmFlag.Variable, ["--mqttUser"] = "WAFER_MQTT_USERNAME", ["--mqttPassword"] = "WAFER_MQTT_PASSWORD",
                };
                file.ApplyTo(options, flag =>
                    (command.Options.FirstOrDefault(o => o.Name == flag) is { } option && parse.GetResult(option) is { Implicit: false })
                    || (variables.TryGetValue(flag, out var variable) && Environment.GetEnvironmentVariable(variable) is not null));
                if (file.Ignored.Count > 0)
                {
                    Console.Error.WriteLine($"--config {configPath}: ignoring keys Wafer does not use: {string.Join(", ", file.Ignored)}");
                }
            }

            if (ServerStart.Refuse(flagErrors.Length > 0 ? flagErrors : options.Validate()) is { } refused)
            {
                return refused;
            }

            if (ServerStart.RefuseExposed("the orchestrator", options.Host, options.ApiToken, parse.GetValue(insecure)) is { } exposed)
            {
                return exposed;
            }

            var app = OrchestratorApp.Build(options, parse.GetValue(jsonLogs), services: traces.Services(parse), configuration: configuration);
            var listening = $"http://{options.Host}:{options.Port} (--port)" + (options.Mqtt is null ? $" or the broker port {options.BrokerHost}:{options.BrokerPort} (--brokerHost, --brokerPort)" : "");
            ServerStart.WarnIfInsecure(app, "the orchestrator", $"http://{options.Host}:{options.Port}", options.Host, options.ApiToken, parse.GetValue(insecure));
            if (await ServerStart.StartAsync(app, "the orchestrator", listening, cancellationToken) is { } failed)
            {
                return failed;
            }

            var address = app.Services.GetRequiredService<IOrchestratorAddress>().BaseUrl;
            var broker = OrchestratorServices.MqttSettingsOf(options).Endpoint;
            PlainOutput.Writer.WriteLine($"orchestrator serving on {address} (REST /api, OpenAPI /openapi/v1.json), broker {broker}" +
                              (options.Mqtt is null ? " (in-process)" : ""));
            await app.WaitForShutdownAsync(cancellationToken);
            await app.DisposeAsync();
            return ExitCodes.Ok;
        });
        return command;
    }
}
