using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Wafer.Cli.Client;

namespace Wafer.Cli.Commands;

/// <summary><c>wafer runtimes</c>: the runtimes an orchestrator knows, with state, labels and load.</summary>
public static class RuntimesCommand
{
    public static Command Create()
    {
        var options = new ClientOptions();
        var alive = new Option<bool>("--alive") { Description = "Only the runtimes that are alive" };
        var command = new Command("runtimes", "List the runtimes of a fleet (orchestrator only)") { alive };
        options.AddTo(command);
        options.SetAction(command, async (parse, client, output, cancellationToken) =>
        {
            await client.RequireAsync("runtimes", cancellationToken, orchestratorOnly: true);
            var body = await client.GetAsync(parse.GetValue(alive) ? "api/runtimes?alive=true" : "api/runtimes", cancellationToken);
            if (output.Json)
            {
                Output.WriteJson(body);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("NAME", "ID", "STATE", "URL", "LABELS", "MODULES", "LOAD");
            foreach (var runtime in body.GetProperty("runtimes").EnumerateArray())
            {
                var capacity = runtime.TryGetProperty("capacity", out var c) && c.ValueKind == JsonValueKind.Object && c.TryGetProperty("maxModules", out var max)
                    ? "/" + max.GetRawText()
                    : "";
                var load = runtime.TryGetProperty("load", out var l) && l.ValueKind == JsonValueKind.Object && l.TryGetProperty("cpuPercent", out var cpu) && cpu.ValueKind == JsonValueKind.Number
                    ? cpu.GetDouble().ToString("0", CultureInfo.InvariantCulture) + "% cpu"
                    : "";
                var state = Output.Text(runtime, "state") + (runtime.TryGetProperty("drainRequested", out var d) && d.ValueKind == JsonValueKind.True ? " (draining)" : "");
                table.AddRow(
                    Markup.Escape(Output.Text(runtime, "name")),
                    Output.ShortId(Output.Text(runtime, "uuid")),
                    Markup.Escape(state),
                    Markup.Escape(Output.Text(runtime, "url")),
                    Markup.Escape(Output.Labels(runtime, "labels")),
                    Output.Text(runtime, "moduleCount") + capacity,
                    load);
            }

            output.Table(table);
            output.Line($"{body.GetProperty("count").GetInt32()} runtime(s)");
            return ExitCodes.Ok;
        });
        return command;
    }
}
