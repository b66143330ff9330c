namespace Wafer.Protocol.V1;

/// <summary>
/// How a placed command module runs (docs/silverline.md): started at once with <see cref="Argv"/> and <see cref="Env"/>
/// (<c>KEY=VALUE</c>), its <see cref="Channels"/> as files bound to MQTT topics, restarted by <see cref="Restart"/>
/// (<see cref="RestartPolicy"/>). Sent in <c>create_module</c>; a module without it is a plugin that only serves calls.
/// </summary>
/// <param name="WallClockSeconds">The longest one run may last before it is stopped (<c>wall_clock_limit</c>); null: only the manifest's limits.</param>
public sealed record ProgramBody(
    IReadOnlyList<string> Argv,
    IReadOnlyList<string> Env,
    IReadOnlyList<ChannelBody> Channels,
    string Restart = RestartPolicy.Never,
    int? WallClockSeconds = null);

/// <summary>A channel: the file <see cref="Path"/> in the module's WASI view bound to <see cref="Topic"/>, read (<c>r</c>), written (<c>w</c>) or both (<c>rw</c>).</summary>
public sealed record ChannelBody(string Path, string Mode, string Topic)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Reads => Mode.Contains('r', StringComparison.Ordinal);

    [System.Text.Json.Serialization.JsonIgnore]
    public bool Writes => Mode.Contains('w', StringComparison.Ordinal);
}

/// <summary>When a program that exited is started again.</summary>
public static class RestartPolicy
{
    public const string Never = "never";
    public const string OnFailure = "on-failure";
    public const string Always = "always";

    public static readonly IReadOnlyList<string> All = [Never, OnFailure, Always];
}
