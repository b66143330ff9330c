using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Wafer.Cli.Client;

namespace Wafer.Cli.Commands;

/// <summary>
/// <c>wafer details NAME</c>: one deployment with its status and replicas, or one plugin with its functions (on a
/// runtime, or served by one of an orchestrator's runtimes on its own: <see cref="RuntimePlugins"/>).
/// </summary>
public static class DetailsCommand
{
    public static Command Create()
    {
        var options = new ClientOptions();
        var name = new Argument<string>("name") { Description = "The deployment (orchestrator) or plugin (runtime)" };
        var command = new Command("details", "Show one deployment (orchestrator) or plugin (runtime)") { name };
        options.AddTo(command);
        options.SetAction(command, async (parse, client, output, cancellationToken) =>
        {
            var info = await client.RequireAsync("details", cancellationToken);
            var escaped = Uri.EscapeDataString(parse.GetValue(name)!);
            JsonElement body;
            var deployment = info.IsOrchestrator;
            try
            {
                body = await client.GetAsync(info.IsOrchestrator ? $"api/deployments/{escaped}" : $"api/plugins/{escaped}", cancellationToken);
            }
            catch (CliException notFound) when (notFound.ExitCode == ExitCodes.NotFound && info.IsOrchestrator)
            {
                // no deployment of that name: one of the orchestrator's runtimes may serve such a plugin on its own
                body = await ServedByARuntimeAsync(client, parse.GetValue(name)!, notFound, cancellationToken);
                deployment = false;
            }

            if (output.Json)
            {
                Output.WriteJson(body);
            }
            else if (deployment)
            {
                Deployment(body, output);
            }
            else
            {
                Plugin(body, output);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The plugin one of the orchestrator's runtimes serves on its own under <paramref name="name"/>; else <paramref name="notFound"/>.</summary>
    private static async Task<JsonElement> ServedByARuntimeAsync(WaferClient client, string name, CliException notFound, CancellationToken cancellationToken)
    {
        if ((await RuntimePlugins.ListAsync(client, cancellationToken)).FirstOrDefault(s => s.Name == name) is not { } served)
        {
            throw notFound;
        }

        using var runtime = new WaferClient(served.RuntimeUrl, client.Token);
        return await runtime.GetAsync($"api/plugins/{Uri.EscapeDataString(name)}", cancellationToken);
    }

    private static void Deployment(JsonElement body, Output output)
    {
        var status = body.GetProperty("status");
        var grid = new Grid().AddColumn().AddColumn();
        Row(grid, "name", Output.Text(body, "name"));
        Row(grid, "state", Output.Text(status, "state"));
        Row(grid, "replicas", $"{Output.Text(status, "running")} running of {Output.Text(status, "desired")} desired, "
                               + $"{Output.Text(status, "pending")} pending, {Output.Text(status, "failed")} failed");
        Row(grid, "reason", Output.Text(status, "reason"));
        Row(grid, "hash", Output.Text(body, "hash"));
        Row(grid, "labels", Output.Labels(body, "labels"));
        Row(grid, "config", Output.Labels(body, "config"));
        AnsiConsole.Write(grid);

        var modules = new Table().AddColumns("MODULE", "STATE", "RUNTIME", "URL", "REASON");
        foreach (var module in body.GetProperty("modules").EnumerateArray())
        {
            modules.AddRow(
                Output.ShortId(Output.Text(module, "uuid")),
                Markup.Escape(Output.Text(module, "state")),
                Markup.Escape(Output.Text(module, "runtimeName")),
                Markup.Escape(Output.Text(module, "runtimeUrl")),
                Markup.Escape(Output.Text(module, "reason")));
        }

        output.Table(modules);
    }

    private static void Plugin(JsonElement body, Output output)
    {
        var grid = new Grid().AddColumn().AddColumn();
        Row(grid, "name", Output.Text(body, "name"));
        Row(grid, "type", Output.Text(body, "type"));
        Row(grid, "version", Output.Text(body, "version"));
        Row(grid, "hash", Output.Text(body, "hash"));
        Row(grid, "source", Output.Text(body, "source"));
        Row(grid, "loaded", Output.Text(body, "loadedAt"));
        AnsiConsole.Write(grid);

        var functions = new Table().AddColumns("FUNCTION", "PARAMETERS", "RESULT", "DOC");
        foreach (var function in body.GetProperty("functions").EnumerateArray())
        {
            var parameters = function.GetProperty("parameters").EnumerateArray().Select(p => $"{Output.Text(p, "name")}: {Output.Text(p, "type")}");
            functions.AddRow(
                Markup.Escape(Output.Text(function, "name")),
                Markup.Escape(string.Join(", ", parameters)),
                Markup.Escape(Output.Text(function, "result")),
                Markup.Escape(Output.Text(function, "doc")));
        }

        output.Table(functions);
    }

    private static void Row(Grid grid, string key, string value)
    {
        if (value.Length > 0)
        {
            grid.AddRow(new Markup($"[grey]{key}[/]"), new Text(value));
        }
    }
}
