namespace Wafer.Cli.Client;

/// <summary>A client verb cannot go on; <see cref="Exception.Message"/> is printed and <see cref="ExitCode"/> returned.</summary>
public sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
