using System.CommandLine;
using System.Net.Http.Headers;
using Spectre.Console;

namespace Wafer.Cli.Commands;

/// <summary>
/// <c>wafer deploy --server URL PATH</c>: uploads a plugin (wasm and manifest) to an orchestrator, creates or updates
/// its deployment, and waits until every replica runs, or says why not.
/// </summary>
public static class DeployCommand
{
    public static Command Create()
    {
        var server = new Option<string>("--server") { Description = "The orchestrator's URL, e.g. http://127.0.0.1:8680", Required = true };
        var path = new Argument<string>("plugin") { Description = "A .wasm file (with NAME.wafer.json beside it), or a plugin folder" };
        var name = new Option<string?>("--name") { Description = "Deployment name (default: the manifest's name)" };
        var replicas = new Option<int>("--replicas") { Description = "How many runtimes should run it", DefaultValueFactory = _ => 1 };
        var labels = new Option<string?>("--labels") { Description = "Placement constraints: only runtimes with every label k=v,k2=v2" };
        var timeout = new Option<string>("--timeout") { Description = "How long to wait for the replicas to run (e.g. 60s)", DefaultValueFactory = _ => "60s" };
        var token = new Option<string?>("--token") { Description = "API token of the orchestrator (or WAFER_TOKEN)" };
        var json = new Option<bool>("--json") { Description = "Print the deployment as JSON" };

        var command = new Command("deploy", "Deploy a plugin to a fleet through its orchestrator and wait until it runs")
        {
            server, path, name, replicas, labels, timeout, token, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!DurationParser.TryParse(parse.GetValue(timeout)!, out var wait))
            {
                return Usage($"--timeout: '{parse.GetValue(timeout)}' is not a duration such as 60s");
            }

            if (!Uri.TryCreate(parse.GetValue(server), UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
            {
                return Usage($"--server: '{parse.GetValue(server)}' is not an http(s) URL");
            }

            PluginSource source;
            try
            {
                source = PluginSource.Find(parse.GetValue(path)!);
            }
            catch (Exception ex) when (ex is FileNotFoundException or InvalidOperationException)
            {
                return Usage(ex.Message);
            }

            using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromMinutes(2) };
            if ((parse.GetValue(token) ?? Environment.GetEnvironmentVariable("WAFER_TOKEN")) is { Length: > 0 } bearer)
            {
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            }

            var client = new DeployClient(http, parse.GetValue(json));
            return await client.RunAsync(source, parse.GetValue(name), parse.GetValue(replicas), parse.GetValue(labels), wait, cancellationToken);
        });
        return command;
    }

    private static int Usage(string message)
    {
        AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {message}");
        return ExitCodes.Usage;
    }
}
