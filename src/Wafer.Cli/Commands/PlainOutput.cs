using System.CommandLine;
using Spectre.Console;
using Wafer.Cli.Client;

namespace Wafer.Cli.Commands;

/// <summary>
/// Where a server command writes what it says to people (its banner, build progress, the compilers' output, errors):
/// stdout, except with <c>--jsonlogs</c>, when stdout carries JSON log lines only and all of that goes to stderr, so
/// a log collector reading stdout parses every line.
/// </summary>
internal static class PlainOutput
{
    /// <summary>True once the command runs with <c>--jsonlogs</c>.</summary>
    public static bool JsonLogs { get; private set; }

    /// <summary>The writer for plain lines: stdout, or stderr with <c>--jsonlogs</c>.</summary>
    public static TextWriter Writer => JsonLogs ? Console.Error : Console.Out;

    /// <summary>With <c>--jsonlogs</c> on the parsed command, sends every plain line to stderr from now on.</summary>
    public static void Choose(ParseResult parse)
    {
        if (parse.CommandResult.Command.Options.Any(o => o.Name == "--jsonlogs") && parse.GetValue<bool>("--jsonlogs"))
        {
            JsonLogs = true;
            AnsiConsole.Console = Output.Errors;
        }
    }
}
