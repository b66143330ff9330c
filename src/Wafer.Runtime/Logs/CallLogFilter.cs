using Wafer.Runtime.Storage;

namespace Wafer.Runtime.Logs;

/// <summary>
/// Which lines a live reader wants, by the rules of <c>GET /api/logs</c>: every field given must match exactly, and a
/// function given as <c>plugin/function</c> names both.
/// </summary>
internal sealed record CallLogFilter
{
    public CallLogFilter(string? plugin, string? function, string? callId)
    {
        if (function?.Split('/', 2) is [var owner, var name])
        {
            // a plugin filter that disagrees with the function's plugin matches nothing, as in the query
            Plugin = plugin is not null && plugin != owner ? "\0" : owner;
            Function = name;
        }
        else
        {
            Plugin = plugin;
            Function = function;
        }

        CallId = callId;
    }

    public string? Plugin { get; }

    public string? Function { get; }

    public string? CallId { get; }

    public bool Matches(CallLogRecord line) =>
        (Plugin is null || string.Equals(line.Plugin, Plugin, StringComparison.Ordinal))
        && (Function is null || string.Equals(line.Function, Function, StringComparison.Ordinal))
        && (CallId is null || string.Equals(line.CallId, CallId, StringComparison.Ordinal));
}
