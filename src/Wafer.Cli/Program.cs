using System.CommandLine;
using Wafer.Cli.Client;
using Wafer.Cli.Commands;

Output.Configure();

var root = new RootCommand("Wafer: serve WebAssembly functions as GraphQL and HTTP APIs")
{
    NewCommand.Create(),
    BuildCommand.Create(),
    ServeCommand.Create(),
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
};

return await root.Parse(args).InvokeAsync();
