using Microsoft.Extensions.Logging;
using Wafer.Protocol.Manifest;

namespace Wafer.Triggers;

/// <summary>
/// The triggers one host serves: cron schedules always, MQTT topics when it has a broker. <see cref="Apply"/> takes the
/// plugins served now (after every reload or fleet change) and keeps what stayed running as it was. A trigger naming a
/// function the plugin does not export, or an MQTT trigger on a host without a broker, is left out with a warning; the
/// plugin's other triggers and its functions are served all the same.
/// </summary>
public sealed partial class TriggerHost : IAsyncDisposable
{
    private readonly ILogger _logger;
    private readonly string _noBroker;
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);

    /// <param name="noBroker">Why MQTT triggers are not served when <paramref name="broker"/> is null: what to do about it.</param>
    public TriggerHost(ITriggerTarget target, TriggerBroker? broker, string noBroker, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        _logger = loggers.CreateLogger<TriggerHost>();
        _noBroker = noBroker;
        Cron = new CronTriggerHost(target, time, loggers.CreateLogger<CronTriggerHost>());
        Mqtt = broker is null ? null : new MqttTriggerHost(broker, target, loggers.CreateLogger<MqttTriggerHost>());
        Mqtt?.Start();
    }

    internal CronTriggerHost Cron { get; }

    internal MqttTriggerHost? Mqtt { get; }

    public void Apply(IReadOnlyList<PluginTriggers> plugins)
    {
        ArgumentNullException.ThrowIfNull(plugins);
        var served = new List<PluginTriggers>(plugins.Count);
        foreach (var plugin in plugins)
        {
            var kept = plugin.Triggers.Where(t => Serves(plugin, t)).ToList();
            if (kept.Count > 0)
            {
                served.Add(plugin with { Triggers = kept });
            }
        }

        Cron.Apply(served);
        Mqtt?.Apply(served);
    }

    private bool Serves(PluginTriggers plugin, TriggerSpec trigger)
    {
        string? reason = trigger switch
        {
            MqttTriggerSpec when Mqtt is null => _noBroker,
            MqttTriggerSpec { Function: var f } when plugin.Metadata is not null && plugin.Function(f) is null => $"the plugin exports no function '{f}'",
            CronTriggerSpec { Function: { } f } when plugin.Metadata is not null && plugin.Function(f) is null => $"the plugin exports no function '{f}'",
            _ => null,
        };
        if (reason is not null && _warned.Add(plugin.KeyOf(trigger) + "\n" + reason))
        {
            NotServed(_logger, plugin.Plugin, trigger.Path, reason);
        }

        return reason is null;
    }

    public async ValueTask DisposeAsync()
    {
        await Cron.DisposeAsync();
        if (Mqtt is not null)
        {
            await Mqtt.DisposeAsync();
        }
    }

    [LoggerMessage(EventId = 9200, EventName = "TriggerNotServed", Level = LogLevel.Warning,
        Message = "Trigger {Trigger} of {Plugin} is not served: {Reason}")]
    private static partial void NotServed(ILogger logger, string plugin, string trigger, string reason);
}
