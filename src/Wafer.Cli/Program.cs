using System.CommandLine;
using Wafer.Cli;
using Wafer.Cli.Client;
using Wafer.Cli.Commands;

Output.Configure();

var root = new RootCommand("Wafer: serve WebAssembly functions as GraphQL and HTTP APIs")
{
    NewCommand.Create(),
    BuildCommand.Create(),
    ServeCommand.Create(),
    DevCommand.Create(),
    RuntimeCommand.Create(),
    OrchestratorCommand.Create(),
    DeployCommand.Create(),
    ListCommand.Create(),
    DetailsCommand.Create(),
    StopCommand.Create(),
    LogsCommand.Create(),
    InvokeCommand.Create(),
    RuntimesCommand.Create(),
    DrainCommand.Create(),
    GatewayCommand.Create(),
    MqttPasswordCommand.Create(),
    VersionCommand.Create(),
};
VersionCommand.ReplaceVersionOption(root);

var parse = root.Parse(GoStyleFlags.Rewrite(root, args)); // -plugins, -refresh=10s: Go-style flags as Hypermode and Modus took them
var code = await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = ServerStart.TerminationTimeout(parse) });
return parse.Errors.Count > 0 && code == 1 ? ExitCodes.Usage : code; // a wrong flag or argument is a usage error (docs/cli.md)
