using System.CommandLine;
using Wafer.Cli.Client;

namespace Wafer.Cli.Commands;

/// <summary><c>wafer drain RUNTIME</c>: the runtime gets nothing new, its modules move elsewhere, then it is told to shut down.</summary>
public static class DrainCommand
{
    public static Command Create()
    {
        var options = new ClientOptions();
        var runtime = new Argument<string>("runtime") { Description = "The runtime's id or name" };
        var command = new Command("drain", "Drain a runtime: move its modules elsewhere, then shut it down (orchestrator only)") { runtime };
        options.AddTo(command);
        options.SetAction(command, async (parse, client, output, cancellationToken) =>
        {
            await client.RequireAsync("drain", cancellationToken, orchestratorOnly: true);
            var body = await client.PostAsync($"api/runtimes/{Uri.EscapeDataString(parse.GetValue(runtime)!)}/drain", null, cancellationToken);
            if (output.Json)
            {
                Output.WriteJson(body);
            }
            else
            {
                output.Line($"[green]draining[/] {Output.Text(body, "name")} ({Output.Text(body, "uuid")}): it gets nothing new, its modules move elsewhere, then it shuts down");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
