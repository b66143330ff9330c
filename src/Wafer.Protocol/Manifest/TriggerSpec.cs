namespace Wafer.Protocol.Manifest;

/// <summary>One entry of a manifest's <c>triggers</c> (docs/manifest.md, "Triggers"): what starts a call without a request.</summary>
public abstract record TriggerSpec
{
    /// <summary>Where it was declared (<c>$.triggers[0]</c>), for log lines and errors.</summary>
    public required string Path { get; init; }
}

/// <summary>
/// Each message on <see cref="Topic"/> (an MQTT topic filter) calls <see cref="Function"/>; its result goes to
/// <see cref="Reply"/> (or the message's MQTT 5 response topic), a failure to <see cref="Errors"/>.
/// </summary>
/// <param name="MaxConcurrent">Calls of this trigger running at once; further messages wait in a bounded queue.</param>
public sealed record MqttTriggerSpec(string Topic, string Function, string? Reply, string? Errors, int MaxConcurrent) : TriggerSpec
{
    public const int DefaultMaxConcurrent = 4;
    public const int MaxMaxConcurrent = 256;
}

/// <summary>
/// Fires on <see cref="Schedule"/> (cron, five fields or six with seconds first, in <see cref="TimeZone"/>): calls
/// <see cref="Function"/> with <see cref="ArgumentsJson"/> (functions plugins), or starts a job of the plugin itself with
/// <see cref="Job"/> (command plugins).
/// </summary>
public sealed record CronTriggerSpec(string Schedule, bool HasSeconds, string? Function, string ArgumentsJson, CronJobSpec? Job) : TriggerSpec
{
    /// <summary>The IANA time zone the schedule is read in (<c>Europe/Paris</c>); null: UTC.</summary>
    public string? TimeZone { get; init; }
}

/// <summary>The job a cron trigger of a command plugin starts: its <c>args</c>, <c>env</c> and <c>stdin</c> as in <c>POST /jobs</c>.</summary>
public sealed record CronJobSpec(ValueList<string> Args, ManifestMap<string> Env, string Stdin);
