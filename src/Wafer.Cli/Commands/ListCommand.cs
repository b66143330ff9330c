using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Wafer.Cli.Client;

namespace Wafer.Cli.Commands;

/// <summary><c>wafer list</c>: the deployments of an orchestrator, or the plugins a runtime serves.</summary>
public static class ListCommand
{
    public static Command Create()
    {
        var options = new ClientOptions();
        var command = new Command("list", "List the deployments (orchestrator) or the plugins (runtime)");
        options.AddTo(command);
        options.SetAction(command, async (_, client, output, cancellationToken) =>
        {
            var info = await client.RequireAsync("list", cancellationToken);
            var body = await client.GetAsync(info.IsOrchestrator ? "api/deployments" : "api/plugins", cancellationToken);
            if (output.Json)
            {
                Output.WriteJson(body);
                return ExitCodes.Ok;
            }

            if (info.IsOrchestrator)
            {
                Deployments(body, output);
            }
            else
            {
                Plugins(body, output);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Deployments(JsonElement body, Output output)
    {
        var table = new Table().AddColumns("NAME", "STATE", "RUNNING", "HASH", "LABELS", "RUNTIMES");
        foreach (var deployment in body.GetProperty("deployments").EnumerateArray())
        {
            var status = deployment.GetProperty("status");
            var runtimes = deployment.GetProperty("modules").EnumerateArray()
                .Where(m => Output.Text(m, "state") == "running").Select(m => Output.Text(m, "runtimeName"));
            table.AddRow(
                Markup.Escape(Output.Text(deployment, "name")),
                Markup.Escape(Output.Text(status, "state")),
                $"{Output.Text(status, "running")}/{Output.Text(status, "desired")}",
                Output.Short(Output.Text(deployment, "hash")),
                Markup.Escape(Output.Labels(deployment, "labels")),
                Markup.Escape(string.Join(",", runtimes)));
        }

        output.Table(table);
        output.Line($"{body.GetProperty("count").GetInt32()} deployment(s)");
    }

    private static void Plugins(JsonElement body, Output output)
    {
        var table = new Table().AddColumns("NAME", "TYPE", "VERSION", "HASH", "FUNCTIONS", "SOURCE");
        var plugins = body.GetProperty("plugins").EnumerateArray().ToList();
        foreach (var plugin in plugins)
        {
            var functions = plugin.TryGetProperty("functions", out var f) && f.ValueKind == JsonValueKind.Array ? f.GetArrayLength() : 0;
            table.AddRow(
                Markup.Escape(Output.Text(plugin, "name")),
                Markup.Escape(Output.Text(plugin, "type")),
                Markup.Escape(Output.Text(plugin, "version")),
                Output.Short(Output.Text(plugin, "hash")),
                functions.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Markup.Escape(Output.Text(plugin, "source")));
        }

        output.Table(table);
        output.Line($"{plugins.Count} plugin(s)");
    }
}
