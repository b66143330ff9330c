using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Wafer.Cli.Configuration;
using Wafer.Gateway.Hosting;

namespace Wafer.Cli.Commands;

/// <summary><c>wafer gateway --orchestrator URL</c>: a gateway on its own, fed with routes by an orchestrator.</summary>
public static class GatewayCommand
{
    public static Command Create()
    {
        var orchestrator = new Option<string>("--orchestrator") { Description = "The orchestrator whose routes this gateway serves: http://HOST:PORT", Required = true };
        var port = new Option<int>("--port") { Description = "HTTP port", DefaultValueFactory = _ => GatewayOptions.DefaultPort };
        var host = new Option<string>("--host") { Description = "Address to bind (loopback by default)", DefaultValueFactory = _ => "127.0.0.1" };
        var token = new Option<string?>("--token") { Description = "Token required for control operations through the gateway, and used to read the routes (or WAFER_TOKEN)" };
        var jsonLogs = new Option<bool>("--jsonlogs") { Description = "Write log lines as JSON" };
        var insecure = ServerStart.InsecureOption();

        var command = new Command("gateway", "Run a gateway: one address for the fleet's functions, GraphQL and HTTP handlers")
        {
            orchestrator, port, host, token, jsonLogs, insecure,
        };
        var settings = SettingTables.Gateway();
        settings.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new GatewayOptions
            {
                Orchestrator = parse.GetValue(orchestrator),
                Port = parse.GetValue(port),
                Host = parse.GetValue(host)!,
                Token = parse.GetValue(token) is { Length: > 0 } given ? given : null,
            };
            var configuration = ServerStart.NewConfiguration();
            var flagErrors = settings.Collect(parse, configuration);
            OptionsBinding.Bind(configuration, GatewayOptions.Section, options);
            if (ServerStart.Refuse(flagErrors.Count > 0 ? flagErrors : options.Validate(standalone: true)) is { } refused)
            {
                return refused;
            }

            if (ServerStart.RefuseExposed("the gateway", options.Host, options.Token, parse.GetValue(insecure)) is { } exposed)
            {
                return exposed;
            }

            var app = GatewayApp.Build(options, parse.GetValue(jsonLogs), configuration: configuration);
            ServerStart.WarnIfInsecure(app, "the gateway", $"http://{options.Host}:{options.Port}", options.Host, options.Token, parse.GetValue(insecure));
            if (await ServerStart.StartAsync(app, "the gateway", $"http://{options.Host}:{options.Port} (--port)", cancellationToken) is { } failed)
            {
                return failed;
            }

            PlainOutput.Writer.WriteLine($"gateway serving on {string.Join(", ", app.Urls)} (/functions, /graphql, handler routes; /api passed to {options.Orchestrator})");
            await app.WaitForShutdownAsync(cancellationToken);
            await app.DisposeAsync();
            return ExitCodes.Ok;
        });
        return command;
    }
}
