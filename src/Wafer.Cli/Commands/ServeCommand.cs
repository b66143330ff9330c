using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Spectre.Console;
using Wafer.Cli.Building;
using Wafer.Protocol.Manifest;
using Wafer.Runtime.Hosting;

namespace Wafer.Cli.Commands;

/// <summary><c>wafer serve</c>: load every plugin in a folder and serve it over GraphQL and HTTP.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var plugins = new Option<string>("--plugins") { Description = "Folder of plugins (.wasm + manifest, or plugin projects)", DefaultValueFactory = _ => "plugins" };
        var port = new Option<int>("--port") { Description = "HTTP port", DefaultValueFactory = _ => RuntimeOptions.DefaultPort };
        var host = new Option<string>("--host") { Description = "Address to bind (loopback by default)", DefaultValueFactory = _ => "127.0.0.1" };
        var refresh = new Option<string>("--refresh") { Description = "Poll interval for plugin changes (e.g. 5s, 500ms)", DefaultValueFactory = _ => "5s" };
        var noReload = new Option<bool>("--noreload") { Description = "Load plugins once; ignore later changes" };
        var storage = new Option<string?>("--storagePath") { Description = "Where state and the compiled-code cache live (default $HOME/.wafer)" };
        var database = new Option<string?>("--db") { Description = "State database: a PostgreSQL connection string, or a SQLite file (default: wafer.db in the storage path)" };
        var jsonLogs = new Option<bool>("--jsonlogs") { Description = "Write log lines as JSON" };
        var build = new Option<bool>("--build") { Description = "Build plugin project folders before serving" };

        var command = new Command("serve", "Serve the plugins in a folder on one machine")
        {
            plugins, port, host, refresh, noReload, storage, database, jsonLogs, build,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!DurationParser.TryParse(parse.GetValue(refresh)!, out var interval))
            {
                AnsiConsole.MarkupLineInterpolated($"[red]error:[/] --refresh: '{parse.GetValue(refresh)}' is not a duration such as 5s or 500ms");
                return ExitCodes.Usage;
            }

            var options = new RuntimeOptions
            {
                PluginsPath = Path.GetFullPath(parse.GetValue(plugins)!),
                Refresh = interval,
                NoReload = parse.GetValue(noReload),
                StoragePath = parse.GetValue(storage) ?? RuntimeOptions.DefaultStoragePath(),
                Database = parse.GetValue(database),
            };
            if (options.Validate() is { Count: > 0 } errors)
            {
                foreach (var error in errors)
                {
                    AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {error}");
                }

                return ExitCodes.Usage;
            }

            if (parse.GetValue(build) && await BuildProjectsAsync(options.PluginsPath, cancellationToken) is var code and not ExitCodes.Ok)
            {
                return code;
            }

            var url = $"http://{parse.GetValue(host)}:{parse.GetValue(port)}";
            var app = RuntimeApp.Build(options, url, parse.GetValue(jsonLogs));
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (OptionsValidationException ex)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
                return ExitCodes.Usage;
            }
            catch (IOException ex)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]error:[/] cannot listen on {url}: {ex.Message}");
                return ExitCodes.Failed;
            }

            if (!parse.GetValue(jsonLogs))
            {
                AnsiConsole.MarkupLineInterpolated($"Wafer is serving {options.PluginsPath} on [green]{url}[/]: POST {url}/graphql (explorer: GET {url}/graphql), POST {url}/functions/NAME");
            }

            await app.WaitForShutdownAsync(cancellationToken);
            await app.DisposeAsync();
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<int> BuildProjectsAsync(string folder, CancellationToken cancellationToken)
    {
        foreach (var directory in Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal))
        {
            if (File.Exists(Path.Combine(directory, PluginManifest.FileName)) && File.Exists(Path.Combine(directory, "package.json")))
            {
                AnsiConsole.MarkupLineInterpolated($"building [blue]{Path.GetFileName(directory)}[/]");
                var code = await PluginBuilder.BuildAsync(directory, cancellationToken);
                if (code != ExitCodes.Ok)
                {
                    return code;
                }
            }
        }

        return ExitCodes.Ok;
    }
}
