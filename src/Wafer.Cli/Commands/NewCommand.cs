using System.CommandLine;
using Spectre.Console;
using Wafer.Cli.Building;
using Wafer.Protocol.Manifest;

namespace Wafer.Cli.Commands;

/// <summary><c>wafer new NAME</c>: scaffold an AssemblyScript plugin project from the SDK's template, with a copy of the SDK in <c>vendor/</c>.</summary>
public static class NewCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "Plugin name: a-z, 0-9, '-' and '_'" };
        var output = new Option<string?>("--output", "-o") { Description = "Folder to create (default: ./NAME)" };
        var command = new Command("new", "Create a new AssemblyScript plugin project") { name, output };
        command.SetAction(parse => Run(parse.GetValue(name)!, parse.GetValue(output)));
        return command;
    }

    private static int Run(string name, string? output)
    {
        if (!ManifestReader.IsValidName(name))
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] '{name}' is not a valid plugin name: use 1-64 characters of a-z, 0-9, '-' and '_', starting with a letter or digit");
            return ExitCodes.Usage;
        }

        var sdk = BundledSdk.Find();
        if (sdk is null)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] the Wafer AssemblyScript SDK is missing from {BundledSdk.Location} ({BundledSdk.TarballName} and template/): reinstall wafer");
            return ExitCodes.Usage;
        }

        var target = Path.GetFullPath(output ?? name);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {target} already exists and is not empty");
            return ExitCodes.Usage;
        }

        foreach (var file in Directory.EnumerateFiles(sdk.Template, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(sdk.Template, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "node_modules" or "build"))
            {
                continue;
            }

            var destination = Path.Combine(target, relative.Replace("_gitignore", ".gitignore", StringComparison.Ordinal));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            var text = File.ReadAllText(file)
                .Replace("__NAME__", name, StringComparison.Ordinal)
                .Replace("__SDK_TARBALL__", BundledSdk.ProjectTarballPath, StringComparison.Ordinal);
            File.WriteAllText(destination, text);
        }

        // the project carries its own copy of the SDK, referred to relative to itself: it can be moved, shared and
        // built wherever Node.js is, with or without this wafer
        var vendored = Path.Combine(target, BundledSdk.ProjectTarballPath);
        Directory.CreateDirectory(Path.GetDirectoryName(vendored)!);
        File.Copy(sdk.Tarball, vendored);

        AnsiConsole.MarkupLineInterpolated($"Created plugin [green]{name}[/] in {target}");
        AnsiConsole.MarkupLineInterpolated($"Next: cd {Path.GetRelativePath(Directory.GetCurrentDirectory(), target)} && wafer build && wafer serve --plugins ..");
        return ExitCodes.Ok;
    }
}
