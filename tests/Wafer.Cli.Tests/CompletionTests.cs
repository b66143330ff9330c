namespace Wafer.Cli.Tests;

/// <summary><c>wafer completion SHELL</c>: the scripts complete through wafer's own suggest directive.</summary>
public sealed class CompletionTests
{
    [Theory]
    [InlineData("wafer se", "serve")]
    [InlineData("wafer serve --drainT", "--drainTimeout")]
    [InlineData("wafer orchestrator --maxArt", "--maxArtifactBytes")]
    [InlineData("wafer completion f", "fish")]
    public async Task Bash_CompletesCommandsAndFlags(string line, string expected)
    {
        var (code, script) = await CliProcess.RunAsync(Path.GetTempPath(), TimeSpan.FromMinutes(1), "completion", "bash");
        Assert.True(code == 0, script);
        var folder = Path.Combine(Path.GetTempPath(), "wafer-completion-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var scriptFile = Path.Combine(folder, "wafer.bash");
        await File.WriteAllTextAsync(scriptFile, script);
        // the script as bash runs it on Tab: COMP_LINE and COMP_POINT set, the function called, COMPREPLY read;
        // `wafer` on the PATH is this build
        var driver = $$"""
            wafer() { dotnet '{{Path.Combine(AppContext.BaseDirectory, "wafer.dll")}}' "$@"; }
            source '{{scriptFile}}'
            COMP_LINE='{{line}}'; COMP_POINT=${#COMP_LINE}
            _wafer_complete
            printf '%s\n' "${COMPREPLY[@]}"
            complete -p wafer
            """;
        var (bashCode, output) = await ExternalProcess.RunAsync("bash", folder, TimeSpan.FromMinutes(1), "-c", driver);

        Assert.True(bashCode == 0, output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains(expected, lines);
        Assert.Contains("complete -o default -F _wafer_complete wafer", lines);
    }

    [Theory]
    [InlineData("zsh", "compctl -K _wafer_complete wafer")]
    [InlineData("fish", "complete -c wafer -f -a")]
    [InlineData("pwsh", "Register-ArgumentCompleter -Native -CommandName wafer")]
    public async Task OtherShells_ScriptAsksWaferForSuggestions(string shell, string registration)
    {
        var (code, script) = await CliProcess.RunAsync(Path.GetTempPath(), TimeSpan.FromMinutes(1), "completion", shell);

        Assert.True(code == 0, script);
        Assert.Contains(registration, script, StringComparison.Ordinal);
        Assert.Contains("[suggest:", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownShell_IsAUsageError()
    {
        var (code, output) = await CliProcess.RunAsync(Path.GetTempPath(), TimeSpan.FromMinutes(1), "completion", "tcsh");

        Assert.Equal(2, code);
        Assert.Contains("tcsh", output, StringComparison.Ordinal);
    }
}
