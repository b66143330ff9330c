using System.CommandLine;

namespace Wafer.Cli.Commands;

/// <summary>
/// <c>wafer completion bash|zsh|fish|pwsh</c>: prints a script that completes <c>wafer</c>'s commands, flags and
/// values in that shell. Each script asks <c>wafer</c> itself through System.CommandLine's <c>[suggest:POSITION]</c>
/// directive with the line being typed, so completions always match the installed version; nothing else
/// (dotnet-suggest) is needed.
/// </summary>
public static class CompletionCommand
{
    private static readonly Dictionary<string, string> Scripts = new(StringComparer.Ordinal)
    {
        ["bash"] = """
            # wafer completion for bash: add to ~/.bashrc
            #   source <(wafer completion bash)
            _wafer_complete() {
              local IFS=$'\n'
              COMPREPLY=($(wafer "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null))
            }
            complete -o default -F _wafer_complete wafer
            """,
        ["zsh"] = """
            # wafer completion for zsh: add to ~/.zshrc
            #   source <(wafer completion zsh)
            _wafer_complete() {
              local completions
              completions="$(wafer "[suggest:${CURSOR}]" "${BUFFER}" 2>/dev/null)"
              reply=("${(ps:\n:)completions}")
            }
            compctl -K _wafer_complete wafer
            """,
        ["fish"] = """
            # wafer completion for fish: save as ~/.config/fish/completions/wafer.fish
            #   wafer completion fish > ~/.config/fish/completions/wafer.fish
            complete -c wafer -f -a '(wafer "[suggest:"(string length -- (commandline -cp))"]" (commandline -p) 2>/dev/null)'
            """,
        ["pwsh"] = """
            # wafer completion for PowerShell: add to $PROFILE
            #   wafer completion pwsh | Out-String | Invoke-Expression
            Register-ArgumentCompleter -Native -CommandName wafer -ScriptBlock {
                param($wordToComplete, $commandAst, $cursorPosition)
                $position = $cursorPosition - $commandAst.Extent.StartOffset
                $line = $commandAst.ToString().PadRight($position)
                wafer "[suggest:$position]" "$line" 2>$null | ForEach-Object {
                    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
                }
            }
            """,
    };

    public static Command Create()
    {
        var shell = new Argument<string>("shell") { Description = "bash, zsh, fish or pwsh" };
        shell.AcceptOnlyFromAmong([.. Scripts.Keys]);
        var command = new Command("completion", "Print a script that completes wafer's commands and flags in your shell (bash, zsh, fish, pwsh)") { shell };
        command.SetAction(parse =>
        {
            Console.Out.Write(Scripts[parse.GetValue(shell)!].ReplaceLineEndings("\n") + "\n");
            return ExitCodes.Ok;
        });
        return command;
    }
}
