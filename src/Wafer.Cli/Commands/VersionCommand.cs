using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;
using Wafer.Cli.Building;
using Wafer.Wasm;

namespace Wafer.Cli.Commands;

/// <summary><c>wafer version</c> and <c>wafer --version</c>: Wafer's version, and the Wasmtime and guest SDK versions it comes with.</summary>
public static class VersionCommand
{
    /// <summary>Wafer's version (Directory.Build.props), without the commit the build adds after '+'.</summary>
    public static string WaferVersion => InformationalVersion.Split('+')[0];

    private static string InformationalVersion { get; } =
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public static Command Create()
    {
        var command = new Command("version", "Print the versions of Wafer, of the Wasmtime it runs guests with, and of the AssemblyScript SDK it carries");
        command.SetAction(_ => Print());
        return command;
    }

    /// <summary>Makes the root's <c>--version</c> print the same as <c>wafer version</c>.</summary>
    public static void ReplaceVersionOption(RootCommand root)
    {
        foreach (var option in root.Options.OfType<VersionOption>())
        {
            option.Action = new PrintAction();
        }
    }

    private static int Print()
    {
        var commit = InformationalVersion.Split('+') is [_, var revision, ..] ? $" (commit {revision[..Math.Min(12, revision.Length)]})" : "";
        Console.WriteLine($"wafer {WaferVersion}{commit}");
        Console.WriteLine($"Wasmtime {WasmHost.WasmtimeVersion}");
        Console.WriteLine($"AssemblyScript SDK (@wafer/sdk) {BundledSdk.Version}");
        Console.WriteLine($".NET {Environment.Version}");
        return ExitCodes.Ok;
    }

    private sealed class PrintAction : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult) => Print();
    }
}
