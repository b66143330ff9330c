using System.CommandLine;
using Wafer.Cli;
using Wafer.Cli.Client;
using Wafer.Cli.Commands;
using Wafer.Cli.Configuration;

Output.Configure();

var root = WaferCommands.Root();

// -plugins, -refresh=10s: Go-style flags as Hypermode and Modus took them; then WAFER_* variables and the
// configuration file fill in what the command line leaves out (docs/cli.md, "Configuration")
var settings = SettingArguments.Resolve(root, GoStyleFlags.Rewrite(root, args), Environment.GetEnvironmentVariable);
if (settings.Errors.Count > 0)
{
    PlainOutput.Choose(root.Parse(settings.Args)); // --jsonlogs on the command line: the errors too go to stderr
    return ServerStart.Refuse(settings.Errors) ?? ExitCodes.Usage;
}

SettingSources.Remember(settings.Sources);
var parse = root.Parse(settings.Args);
PlainOutput.Choose(parse);
ServerStart.Verbose = parse.CommandResult.Command.Options.Any(o => o.Name == "--verbose") && parse.GetValue<bool>("--verbose");
int code;
try
{
    code = await parse.InvokeAsync(new InvocationConfiguration
    {
        ProcessTerminationTimeout = ServerStart.TerminationTimeout(parse),
        EnableDefaultExceptionHandler = false, // one line, not a stack trace (ServerStart.Crashed)
    });
}
catch (Exception ex) when (ex is not OperationCanceledException)
{
    return ServerStart.Crashed(parse.CommandResult.Command.Name, ex);
}


return parse.Errors.Count > 0 && code == 1 ? ExitCodes.Usage : code; // a wrong flag or argument is a usage error (docs/cli.md)
