using System.CommandLine;
using Wafer.Cli.Building;

namespace Wafer.Cli.Commands;

/// <summary><c>wafer build [dir]</c>: compile a plugin project to <c>build/NAME.wasm</c>.</summary>
public static class BuildCommand
{
    public static Command Create()
    {
        var directory = new Argument<string>("dir") { Description = "The plugin project folder", DefaultValueFactory = _ => "." };
        var command = new Command("build", "Build the plugin project in a folder (default: the current one)") { directory };
        command.SetAction((parse, cancellationToken) => PluginBuilder.BuildAsync(parse.GetValue(directory)!, cancellationToken));
        return command;
    }
}
