using System.CommandLine;
using Wafer.Protocol.V1;

namespace Wafer.Cli.Commands;

/// <summary><c>--realm</c>: the realm every MQTT topic lies under; an orchestrator and the runtimes that join it must agree.</summary>
public static class RealmFlag
{
    public const string Variable = "WAFER_REALM";

    public static Option<string?> Create() => new("--realm")
    {
        Description = $"Realm every MQTT topic lies under: {{realm}}/wafer/v1/... and {{realm}}/proc/... (or {Variable}; default {Topics.DefaultRealm})",
    };

    /// <summary>The flag, else <see cref="Variable"/>, else the default realm.</summary>
    public static string Resolve(ParseResult parse, Option<string?> option) =>
        parse.GetValue(option) ?? Environment.GetEnvironmentVariable(Variable) ?? Topics.DefaultRealm;
}
