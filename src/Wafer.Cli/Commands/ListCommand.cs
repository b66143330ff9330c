using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using Wafer.Cli.Client;

namespace Wafer.Cli.Commands;

/// <summary>
/// <c>wafer list</c>: the deployments of an orchestrator, with the plugins its runtimes serve on their own (the folder
/// of <c>wafer serve</c>), or the plugins a runtime serves.
/// </summary>
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
            var served = info.IsOrchestrator ? await RuntimePlugins.ListAsync(client, cancellationToken) : [];
            if (output.Json)
            {
                Output.WriteJson(info.IsOrchestrator ? WithServed(body, served) : body);
                return ExitCodes.Ok;
            }

            if (info.IsOrchestrator)
            {
                Deployments(body, output);
                if (served.Count > 0)
                {
                    Served(served, output);
                }
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

    /// <summary>The orchestrator's deployments with <c>servedByRuntimes</c>: the plugins its runtimes serve on their own.</summary>
    private static JsonElement WithServed(JsonElement deployments, IReadOnlyList<RuntimePlugins.Served> served)
    {
        var document = JsonNode.Parse(deployments.GetRawText())!.AsObject();
        var list = new JsonArray();
        foreach (var plugin in served)
        {
            var entry = JsonNode.Parse(plugin.Plugin.GetRawText())!.AsObject();
            entry["runtimeName"] = plugin.RuntimeName;
            entry["runtimeUrl"] = plugin.RuntimeUrl.ToString().TrimEnd('/');
            list.Add(entry);
        }

        document["servedByRuntimes"] = list;
        return JsonSerializer.SerializeToElement(document);
    }

    private static void Served(IReadOnlyList<RuntimePlugins.Served> served, Output output)
    {
        var table = new Table().AddColumns("NAME", "RUNTIME", "FUNCTIONS", "SOURCE");
        foreach (var plugin in served)
        {
            var functions = plugin.Plugin.TryGetProperty("functions", out var f) && f.ValueKind == JsonValueKind.Array
                ? string.Join(", ", f.EnumerateArray().Select(x => Output.Text(x, "name")))
                : "";
            table.AddRow(
                Markup.Escape(plugin.Name),
                Markup.Escape(plugin.RuntimeName),
                Markup.Escape(functions),
                Markup.Escape(Output.Text(plugin.Plugin, "source")));
        }

        output.Table(table);
        output.Line($"{served.Count} plugin(s) served by runtimes from their own folders (wafer invoke calls them too)");
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
