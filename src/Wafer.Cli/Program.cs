using System.CommandLine;
using Wafer.Cli.Commands;

var root = new RootCommand("Wafer: serve WebAssembly functions as GraphQL and HTTP APIs")
{
    NewCommand.Create(),
    BuildCommand.Create(),
    ServeCommand.Create(),
    DevCommand.Create(),
    RuntimeCommand.Create(),
    OrchestratorCommand.Create(),
    DeployCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
