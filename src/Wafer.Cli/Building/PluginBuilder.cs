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

        var reference = ProjectSdkReference.Read(directory);
        var installedSdk = Path.Combine(directory, "node_modules", "@wafer", "sdk");
        if (reference is { IsMissingLocalPath: true })
        {
            if (!Directory.Exists(installedSdk))
            {
                ReportMissingSdk(directory, reference, fatal: true);
                return ExitCodes.Usage;
            }

            ReportMissingSdk(directory, reference, fatal: false);
        }

        if (File.Exists(Path.Combine(directory, "package.json")) && !Directory.Exists(Path.Combine(directory, "node_modules")))
        {
            // the first build installs (and writes package-lock.json); later builds need no network
            AnsiConsole.MarkupLine("[grey]installing the plugin's dependencies[/]");
            var code = await ProcessRunner.RunAsync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], directory, cancellationToken, stdoutToStderr);
            if (code != 0)
            {
                return Failed(code, "npm install");
            }
        }

        var sdk = Directory.Exists(installedSdk) ? installedSdk : SdkLocator.Find();
        if (sdk is null)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] the Wafer AssemblyScript SDK was not found: the project's package.json should depend on \"{ProjectSdkReference.PackageName}\" (as 'wafer new' writes it), or set {SdkLocator.EnvironmentVariable} to an SDK folder");
            return ExitCodes.Usage;
        }

        // an SDK folder used in place (a checkout's sdk/assemblyscript, or a project linking to it) needs its own dependencies
        var sdkFolder = new DirectoryInfo(sdk).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? sdk;
        if (!sdkFolder.Contains($"{Path.DirectorySeparatorChar}node_modules{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            && !Directory.Exists(Path.Combine(sdkFolder, "node_modules")))
        {
            AnsiConsole.MarkupLineInterpolated($"[grey]installing the SDK's dependencies in {sdkFolder}[/]");
            var code = await ProcessRunner.RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], sdkFolder, cancellationToken, stdoutToStderr);
            if (code != 0)
            {
                return Failed(code, "npm ci in the SDK folder");
            }
        }

        var build = await ProcessRunner.RunAsync("node", [Path.Combine(sdkFolder, "bin", "wafer-build.mjs"), directory], directory, cancellationToken, stdoutToStderr);
        return build == 0 ? ExitCodes.Ok : Failed(build, "the AssemblyScript build");
    }

    /// <summary>What a project whose package.json points at an SDK that is not there (made by an older wafer, then moved) is told.</summary>
    private static void ReportMissingSdk(string directory, ProjectSdkReference reference, bool fatal)
    {
        var what = $"{Path.Combine(directory, "package.json")} refers to the Wafer SDK at {reference.LocalPath} (\"{reference.Specifier}\"), which does not exist "
            + "(projects made by older versions of 'wafer new' point at the Wafer checkout they came from)";
        if (fatal)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {what}");
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]warning:[/] {what}; the SDK installed in node_modules still builds, but the project cannot be installed again");
        }

        var setReference = $"in package.json: \"{ProjectSdkReference.PackageName}\": \"file:{BundledSdk.ProjectTarballPath}\"";
        if (BundledSdk.Find() is { } bundled)
        {
            AnsiConsole.MarkupLine("To fix it, give the project its own copy of the SDK that comes with this wafer (in the project folder):");
            AnsiConsole.MarkupLineInterpolated($"  mkdir -p vendor && cp {bundled.Tarball} {BundledSdk.ProjectTarballPath}");
        }
        else
        {
            AnsiConsole.MarkupLine("To fix it, give the project its own copy of the SDK (its npm tarball, in the project folder):");
            AnsiConsole.MarkupLineInterpolated($"  copy the Wafer SDK tarball to {BundledSdk.ProjectTarballPath}");
        }

        AnsiConsole.MarkupLineInterpolated($"  {setReference}");
        AnsiConsole.MarkupLine("  rm -rf node_modules package-lock.json && wafer build");
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
