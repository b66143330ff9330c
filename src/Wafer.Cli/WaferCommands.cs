using System.CommandLine;
using Wafer.Cli.Commands;
using Wafer.Cli.Configuration;

namespace Wafer.Cli;

/// <summary>The <c>wafer</c> command tree, as the executable runs it (tests and the settings table read it too).</summary>
public static class WaferCommands
{
    public static RootCommand Root()
    {
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
            CompletionCommand.Create(),
        };
        VersionCommand.ReplaceVersionOption(root);
        foreach (var server in root.Subcommands.Where(c => SettingArguments.ServerCommands.Contains(c.Name)))
        {
            SettingArguments.AddSharedOptions(server);
        }

        return root;
    }
}
