using Wafer.Protocol.Transport;

namespace Wafer.Runtime.Triggers;

/// <summary>
/// Triggers of a runtime on its own (docs/manifest.md, "Triggers"). A runtime that joins a fleet serves none itself:
/// the orchestrator fires them and sends each call to one replica.
/// </summary>
public sealed class TriggerOptions
{
    /// <summary>The broker MQTT triggers subscribe on (<c>--mqtt mqtt://user:password@HOST:PORT</c>); null: MQTT triggers are not served.</summary>
    public string? Mqtt { get; set; }

    /// <summary>How long a trigger's call may take before it is reported as timed out (beyond the function's own limit).</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromMinutes(5);

    public IReadOnlyList<string> Validate(bool joined)
    {
        var errors = new List<string>();
        if (Mqtt is null)
        {
            return errors;
        }

        if (joined)
        {
            errors.Add("Triggers.Mqtt (--mqtt) is for a runtime on its own: in a fleet (--join) the orchestrator serves the triggers on the fleet's broker");
        }
        else if (!BrokerAddress.TryParse(Mqtt, out _, out var error))
        {
            errors.Add($"Triggers.Mqtt (--mqtt): {error}");
        }

        return errors;
    }
}
