using System.CommandLine;
using Wafer.Cli.Client;

namespace Wafer.Cli.Commands;

/// <summary><c>wafer stop NAME</c>: stop a deployment (orchestrator) or an uploaded plugin (runtime).</summary>
public static class StopCommand
{
    public static Command Create()
    {
        var options = new ClientOptions();
        var name = new Argument<string>("name") { Description = "The deployment (orchestrator) or uploaded plugin (runtime)" };
        var command = new Command("stop", "Stop a deployment (orchestrator) or a plugin deployed to a runtime") { name };
        options.AddTo(command);
        options.SetAction(command, async (parse, client, output, cancellationToken) =>
        {
            var info = await client.RequireAsync("stop", cancellationToken);
            var target = parse.GetValue(name)!;
            var escaped = Uri.EscapeDataString(target);
            var body = await client.DeleteAsync(info.IsOrchestrator ? $"api/deployments/{escaped}" : $"api/plugins/{escaped}", cancellationToken);
            if (output.Json)
            {
                Output.WriteJson(body);
            }
            else
            {
                output.Line($"[green]stopped[/] {target}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
