namespace Wafer.Cli;

/// <summary>Process exit codes, documented in docs/cli.md.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Something failed while running (a build error, a server that could not start, a refused request, a failed call).</summary>
    public const int Failed = 1;

    /// <summary>The command line or a setting is wrong, or the verb does not apply to that kind of server.</summary>
    public const int Usage = 2;

    /// <summary>A required tool (node, npm) is missing.</summary>
    public const int MissingTool = 3;

    /// <summary>The server has no such deployment, plugin, runtime or function (HTTP 404).</summary>
    public const int NotFound = 4;

    /// <summary>The server refused the token: none was given, or the wrong one (HTTP 401 or 403).</summary>
    public const int Unauthorized = 5;

    /// <summary>The server could not be reached, or did not answer in time.</summary>
    public const int Unreachable = 6;
}
