using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using Wafer.Cli.Building;
using Wafer.Protocol.Manifest;
using Wafer.Runtime.Hosting;

namespace Wafer.Cli.Commands;

/// <summary>
/// <c>wafer dev [DIR]</c>: build the plugin project (or every project in a folder), serve it, and rebuild on every
/// source change. The runtime's hot reload picks up each new build; a build that fails leaves the last good one
/// serving.
/// </summary>
public static class DevCommand
{
    public static Command Create()
    {
        var directory = new Argument<string>("DIR") { Description = "A plugin project, or a folder of plugin projects and .wasm files", DefaultValueFactory = _ => "." };
        var port = new Option<int>("--port") { Description = "HTTP port", DefaultValueFactory = _ => RuntimeOptions.DefaultPort };
        var host = new Option<string>("--host") { Description = "Address to bind (loopback by default)", DefaultValueFactory = _ => "127.0.0.1" };
        var storage = new Option<string?>("--storagePath") { Description = "Where state and the compiled-code cache live (default $HOME/.wafer)" };
        var token = new Option<string?>("--token") { Description = "API token control operations need (or WAFER_TOKEN); required beyond loopback unless --insecure" };
        var allowFolders = new Option<string?>("--allowFolders") { Description = "Host folders plugins' 'files' may name beyond their own data folders: /srv/a,/srv/b (or WAFER_ALLOW_FOLDERS)" };
        var jsonLogs = new Option<bool>("--jsonlogs") { Description = "Write log lines as JSON on stdout; the builds' progress and compiler output go to stderr" };
        var insecure = ServerStart.InsecureOption();

        var command = new Command("dev", "Build, serve, and rebuild on every change") { directory, port, host, storage, token, allowFolders, jsonLogs, insecure };
        var traces = new TracesFlag();
        traces.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var apiToken = (parse.GetValue(token) ?? Environment.GetEnvironmentVariable("WAFER_TOKEN")) is { Length: > 0 } given ? given : null;
            var bindHost = parse.GetValue(host)!;
            if (ServerStart.RefuseExposed("wafer dev", bindHost, apiToken, parse.GetValue(insecure)) is { } exposed)
            {
                return exposed;
            }

            var root = Path.GetFullPath(parse.GetValue(directory)!);
            if (!Directory.Exists(root))
            {
                AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {root} is not a folder");
                return ExitCodes.Usage;
            }

            // a port another process holds is said before the build, which can take a minute, not after it
            var url = $"http://{bindHost}:{parse.GetValue(port)}";
            if (PortCheck.RefuseTaken("wafer dev", (bindHost, parse.GetValue(port), $"{url} (--port)")) is { } taken)
            {
                return taken;
            }

            // with JSON logs stdout carries nothing else: the builds write to stderr, as every plain line (PlainOutput)
            var json = parse.GetValue(jsonLogs);
            var single = File.Exists(Path.Combine(root, PluginManifest.FileName));
            var projects = single ? [root] : Projects(root);
            foreach (var project in projects)
            {
                if (await BuildAsync(project, json, cancellationToken) is var code and (ExitCodes.Usage or ExitCodes.MissingTool))
                {
                    return code;
                }
            }

            // A single project is served from its build output; a folder serves its projects the usual way.
            var plugins = single ? Path.Combine(root, "build") : root;
            Directory.CreateDirectory(plugins);
            var options = new RuntimeOptions
            {
                PluginsPath = plugins,
                Refresh = TimeSpan.FromSeconds(1),
                StoragePath = parse.GetValue(storage) ?? RuntimeOptions.DefaultStoragePath(),
                ApiToken = apiToken,
                AllowFolders = RuntimeOptions.ParseFolders(parse.GetValue(allowFolders) ?? Environment.GetEnvironmentVariable("WAFER_ALLOW_FOLDERS")),
            };
            if (ServerStart.Refuse(options.Validate()) is { } refused)
            {
                return refused;
            }

            await using var app = RuntimeApp.Build(options, url, json, services: traces.Services(parse));
            ServerStart.WarnIfInsecure(app, "wafer dev", url, bindHost, apiToken, parse.GetValue(insecure));
            if (await ServerStart.StartAsync(app, "wafer dev", $"{url} (--port)", cancellationToken) is { } failed)
            {
                return failed;
            }

            AnsiConsole.MarkupLineInterpolated($"Wafer dev is serving {root} on [green]{url}[/] and rebuilding on change (Ctrl-C stops)");
            using var watcher = new ProjectWatcher(root);
            try
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    foreach (var project in await watcher.NextAsync(cancellationToken))
                    {
                        await BuildAsync(project, json, cancellationToken);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }

            await app.StopAsync(CancellationToken.None);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string[] Projects(string folder) =>
        [.. Directory.EnumerateDirectories(folder)
            .Where(d => File.Exists(Path.Combine(d, PluginManifest.FileName)) && File.Exists(Path.Combine(d, "package.json")))
            .Order(StringComparer.Ordinal)];

    /// <param name="toStderr">Everything the build prints goes to stderr (stdout carries JSON log lines).</param>
    private static async Task<int> BuildAsync(string project, bool toStderr, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(project);
        var console = AnsiConsole.Console; // stderr with --jsonlogs (PlainOutput)
        console.MarkupLineInterpolated($"building [blue]{name}[/]");
        var clock = Stopwatch.StartNew();
        var code = await PluginBuilder.BuildAsync(project, cancellationToken, stdoutToStderr: toStderr);
        if (code == ExitCodes.Ok)
        {
            console.MarkupLineInterpolated($"built [blue]{name}[/] in {clock.ElapsedMilliseconds} ms");
        }
        else
        {
            console.MarkupLineInterpolated($"[yellow]{name} did not build; the last good build keeps serving[/]");
        }

        return code;
    }
}
