using System.Collections.Concurrent;
using Prometheus;
using Wafer.Hosting.Telemetry;
using Wafer.Protocol.Calls;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.Invocation;

namespace Wafer.Runtime.Telemetry;

/// <summary>What a runtime records for <c>GET /metrics</c>: function calls and handler requests, plugins and calls in flight.</summary>
internal sealed class RuntimeMetrics
{
    private readonly Counter _calls;
    private readonly Histogram _durations;
    private readonly Counter _handlerRequests;
    private readonly ConcurrentDictionary<(string Plugin, string Function), FunctionSeries> _series = new();

    public RuntimeMetrics(CollectorRegistry registry, PluginCatalog catalog, CallCounters counters)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(counters);
        var factory = Metrics.WithCustomRegistry(registry);
        _calls = factory.CreateCounter("wafer_function_calls_total",
            "Function calls finished (REST, GraphQL, Dgraph Lambda), by plugin, function and outcome: ok or the failure's cause",
            "plugin", "function", "outcome");
        _durations = factory.CreateHistogram("wafer_function_call_duration_seconds", "Time a function call ran, by plugin and function",
            new HistogramConfiguration { LabelNames = ["plugin", "function"], Buckets = MetricsEndpoint.DurationBuckets });
        _handlerRequests = factory.CreateCounter("wafer_handler_requests_total",
            "HTTP handler (WAGI) requests answered, by plugin, route and status code", "plugin", "route", "code");
        var inFlight = factory.CreateGauge("wafer_function_calls_in_flight", "Function calls running now");
        var plugins = factory.CreateGauge("wafer_plugins_loaded", "Plugins loaded and serving");
        registry.AddBeforeCollectCallback(() =>
        {
            inFlight.Set(counters.InFlight);
            plugins.Set(catalog.Current.Plugins.Count);
        });
        catalog.Changed += ForgetUnloaded;
    }

    public void CallFinished(string plugin, string function, in CallOutcome outcome)
    {
        // The series of a function are looked up once: finding them by labels on every call costs more than the call's metrics.
        var series = _series.GetOrAdd((plugin, function), static (key, self) => new FunctionSeries(
            self._calls.WithLabels(key.Plugin, key.Function, "ok"), self._durations.WithLabels(key.Plugin, key.Function)), this);
        (outcome.Succeeded ? series.Ok : _calls.WithLabels(plugin, function, outcome.Cause)).Inc();
        series.Duration.Observe(outcome.Duration.TotalSeconds);
    }

    /// <summary>
    /// Drops the series of plugins no longer loaded, so a runtime that serves many plugins over its life (placements
    /// come and go) does not grow <c>/metrics</c> and its memory without bound. A plugin reloaded keeps its series.
    /// </summary>
    private void ForgetUnloaded(CatalogSnapshot snapshot)
    {
        foreach (var key in _series.Keys)
        {
            if (!snapshot.PluginsByName.ContainsKey(key.Plugin))
            {
                _series.TryRemove(key, out _);
            }
        }

        RemoveUnloaded(_calls, snapshot);
        RemoveUnloaded(_durations, snapshot);
        RemoveUnloaded(_handlerRequests, snapshot);
    }

    private static void RemoveUnloaded<TChild>(Collector<TChild> collector, CatalogSnapshot snapshot)
        where TChild : ChildBase
    {
        foreach (var labels in collector.GetAllLabelValues())
        {
            if (!snapshot.PluginsByName.ContainsKey(labels[0]))
            {
                collector.WithLabels(labels).Remove();
            }
        }
    }

    private sealed record FunctionSeries(Counter.Child Ok, Histogram.Child Duration);

    public void HandlerAnswered(string plugin, string route, int status) =>
        _handlerRequests.WithLabels(plugin, route, StatusLabel.Of(status)).Inc();
}
