using System.CommandLine;
using Wafer.Cli.Commands;

var root = new RootCommand("Wafer: serve WebAssembly functions as GraphQL and HTTP APIs")
{
    NewCommand.Create(),
    BuildCommand.Create(),
    ServeCommand.Create(),
    RuntimeCommand.Create(),
    OrchestratorCommand.Create(),
    DeployCommand.Create(),
    GatewayCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
