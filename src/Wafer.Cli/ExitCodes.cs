namespace Wafer.Cli;

/// <summary>Process exit codes, documented in docs/cli.md.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Something failed while running (a build error, a server that could not start).</summary>
    public const int Failed = 1;

    /// <summary>The command line or a setting is wrong.</summary>
    public const int Usage = 2;

    /// <summary>A required tool (node, npm) is missing.</summary>
    public const int MissingTool = 3;
}
