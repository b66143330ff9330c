using Spectre.Console;
using Wafer.Protocol.Manifest;

namespace Wafer.Cli.Building;

/// <summary>
/// Builds an AssemblyScript plugin project: installs its npm dependencies when missing, then runs the SDK's
/// build script, which compiles <c>assembly/index.ts</c> to <c>build/NAME.wasm</c> beside a copy of the manifest.
/// </summary>
public static class PluginBuilder
{
    /// <param name="stdoutToStderr">Print everything on stderr (<c>wafer deploy --json</c> keeps stdout for its JSON).</param>
    public static async Task<int> BuildAsync(string projectDirectory, CancellationToken cancellationToken, bool stdoutToStderr = false)
    {
        if (!stdoutToStderr)
        {
            return await BuildCoreAsync(projectDirectory, false, cancellationToken);
        }

        var console = AnsiConsole.Console;
        AnsiConsole.Console = Client.Output.Errors;
        try
        {
            return await BuildCoreAsync(projectDirectory, true, cancellationToken);
        }
        finally
        {
            AnsiConsole.Console = console;
        }
    }

    private static async Task<int> BuildCoreAsync(string projectDirectory, bool stdoutToStderr, CancellationToken cancellationToken)
    {
        var directory = Path.GetFullPath(projectDirectory);
        var manifestPath = Path.Combine(directory, PluginManifest.FileName);
        if (!File.Exists(manifestPath))
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {manifestPath} not found: run 'wafer build' inside a plugin project (see 'wafer new')");
            return ExitCodes.Usage;
        }

        try
        {
            ManifestReader.Load(manifestPath, Path.GetFileName(directory));
        }
        catch (ManifestException ex)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return ExitCodes.Usage;
        }

        var sdk = SdkLocator.Find();
        if (sdk is null)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] the Wafer AssemblyScript SDK was not found; set {SdkLocator.EnvironmentVariable} to its folder (sdk/assemblyscript in the Wafer repository)");
            return ExitCodes.Usage;
        }

        if (!Directory.Exists(Path.Combine(sdk, "node_modules")))
        {
            AnsiConsole.MarkupLineInterpolated($"[grey]installing the SDK's dependencies in {sdk}[/]");
            var code = await ProcessRunner.RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], sdk, cancellationToken, stdoutToStderr);
            if (code != 0)
            {
                return Failed(code, "npm ci in the SDK folder");
            }
        }

        if (File.Exists(Path.Combine(directory, "package.json")) && !Directory.Exists(Path.Combine(directory, "node_modules")))
        {
            AnsiConsole.MarkupLine("[grey]installing the plugin's dependencies[/]");
            var code = await ProcessRunner.RunAsync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], directory, cancellationToken, stdoutToStderr);
            if (code != 0)
            {
                return Failed(code, "npm install");
            }
        }

        var build = await ProcessRunner.RunAsync("node", [Path.Combine(sdk, "bin", "wafer-build.mjs"), directory], directory, cancellationToken, stdoutToStderr);
        return build == 0 ? ExitCodes.Ok : Failed(build, "the AssemblyScript build");
    }

    private static int Failed(int code, string step)
    {
        if (code == -1)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {step} could not start: is Node.js (node, npm) installed and on PATH?");
            return ExitCodes.MissingTool;
        }

        AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {step} failed (exit code {code})");
        return ExitCodes.Failed;
    }
}
