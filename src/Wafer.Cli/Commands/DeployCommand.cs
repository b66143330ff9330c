using System.CommandLine;
using Wafer.Cli.Client;
using Wafer.Cli.Deploying;

namespace Wafer.Cli.Commands;

/// <summary>
/// <c>wafer deploy PATH</c>: deploys a plugin (a <c>.wasm</c> or a plugin folder) or every plugin a <c>deploy.json</c>
/// names. To an orchestrator it waits until every replica runs, or says why not; to a runtime it uploads the plugin,
/// which is served at once.
/// </summary>
public static class DeployCommand
{
    public static Command Create()
    {
        var options = new ClientOptions();
        var path = new Argument<string>("plugin") { Description = "A .wasm file (with NAME.wafer.json beside it), a plugin folder, or a deploy.json naming several plugins" };
        var name = new Option<string?>("--name") { Description = "Deployment name (default: the manifest's name)" };
        var replicas = new Option<int?>("--replicas") { Description = "How many runtimes should run it (orchestrator; default 1)" };
        var labels = new Option<string?>("--labels") { Description = "Placement constraints: only runtimes with every label k=v,k2=v2 (orchestrator)" };
        var build = new Option<bool>("--build") { Description = "Build plugin project folders first even when their output exists" };
        var allowShadowing = new Option<bool>("--allow-shadowing")
        {
            Description = "Deploy even when another deployment serves some of the same function names (orchestrator; /functions/NAME then answers 409 for them)",
        };
        var timeout = new Option<string>("--timeout") { Description = "How long to wait for the replicas to run (e.g. 60s)", DefaultValueFactory = _ => "60s" };

        var command = new Command("deploy", "Deploy plugins to a fleet (orchestrator) or straight to a runtime")
        {
            path, name, replicas, labels, build, allowShadowing, timeout,
        };
        options.AddTo(command);
        options.SetAction(command, async (parse, client, output, cancellationToken) =>
        {
            if (!DurationParser.TryParse(parse.GetValue(timeout)!, out var wait))
            {
                throw new CliException(ExitCodes.Usage, $"--timeout: '{parse.GetValue(timeout)}' is not a duration such as 60s");
            }

            var items = Items(parse.GetValue(path)!, parse.GetValue(name), parse.GetValue(replicas), parse.GetValue(labels));
            var prepared = new List<PreparedPlugin>();
            foreach (var item in items)
            {
                prepared.Add(await PreparedPlugin.PrepareAsync(item, parse.GetValue(build), output, cancellationToken));
            }

            var info = await client.RequireAsync("deploy", cancellationToken);

            return info.IsOrchestrator
                ? await new OrchestratorDeployer(client, output, parse.GetValue(allowShadowing)).RunAsync(prepared, wait, cancellationToken)
                : await new RuntimeDeployer(client, output).RunAsync(prepared, cancellationToken);
        });
        return command;
    }

    private static IReadOnlyList<DeployItem> Items(string path, string? name, int? replicas, string? labels)
    {
        if (DeployFile.IsDeployFile(path))
        {
            if (name is not null || replicas is not null || labels is not null)
            {
                throw new CliException(ExitCodes.Usage, $"--name, --replicas and --labels apply to one plugin; set them per plugin in {path}");
            }

            return DeployFile.Read(path);
        }

        if (replicas is < 1)
        {
            throw new CliException(ExitCodes.Usage, $"--replicas must be at least 1, got {replicas}");
        }

        if (!RuntimeCommand.TryParseLabels(labels, out var labelMap, out var labelError))
        {
            throw new CliException(ExitCodes.Usage, $"--labels: {labelError}");
        }

        if (name is not null && !Wafer.Protocol.Manifest.ManifestReader.IsValidName(name))
        {
            throw new CliException(ExitCodes.Usage, $"--name: '{name}' is not a valid name (1-64 characters of a-z, 0-9, '-' and '_')");
        }

        return [new DeployItem(Path.GetFullPath(path), name, replicas ?? 1, labelMap, new Dictionary<string, string>())];
    }
}
