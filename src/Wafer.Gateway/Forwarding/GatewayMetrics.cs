using System.Collections.Concurrent;
using Prometheus;
using Wafer.Hosting.Telemetry;

namespace Wafer.Gateway.Forwarding;

/// <summary>What the gateway records for <c>GET /metrics</c>: the requests it forwarded per deployment, and its retries.</summary>
internal sealed class GatewayMetrics
{
    public const string Function = "function";
    public const string GraphQLField = "graphql";
    public const string Handler = "handler";

    private readonly Counter _requests;
    private readonly Histogram _durations;
    private readonly Counter _retries;
    private readonly Counter.Child[] _sent;
    private readonly ConcurrentDictionary<(string Deployment, string Kind, int Status), Series> _series = new();

    public GatewayMetrics(CollectorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var factory = Metrics.WithCustomRegistry(registry);
        _requests = factory.CreateCounter("wafer_gateway_requests_total",
            "Requests for a deployment answered through the gateway, by deployment, kind (function, graphql: one field, handler) and status code",
            "deployment", "kind", "code");
        _durations = factory.CreateHistogram("wafer_gateway_request_duration_seconds",
            "Time from receiving a request for a deployment to the runtime's answer, by deployment and kind",
            new HistogramConfiguration { LabelNames = ["deployment", "kind"], Buckets = MetricsEndpoint.DurationBuckets });
        _retries = factory.CreateCounter("wafer_gateway_retries_total",
            "Requests sent to another replica, by deployment and reason: refused (nothing sent: connection refused or not made) or turned_away (answered 404/503 unrun)",
            "deployment", "reason");
        var sent = factory.CreateCounter("wafer_gateway_calls_sent_total",
            "Function calls sent to runtimes (retries included), by transport: call (the call protocol) or http1 (streamed bodies, runtimes without a call port)",
            "transport");
        _sent = [sent.WithLabels("call"), sent.WithLabels("http1")];
    }

    /// <summary>How a function call went to a runtime.</summary>
    public enum Transport
    {
        CallProtocol,
        Http1,
    }

    public void Sent(Transport transport) => _sent[(int)transport].Inc();

    public void Answered(string deployment, string kind, int status, TimeSpan duration)
    {
        // Looked up once per series: finding children by labels on every request would cost more than recording.
        var series = _series.GetOrAdd((deployment, kind, status), static (key, self) => new Series(
            self._requests.WithLabels(key.Deployment, key.Kind, StatusLabel.Of(key.Status)), self._durations.WithLabels(key.Deployment, key.Kind)), this);
        series.Requests.Inc();
        series.Duration.Observe(duration.TotalSeconds);
    }

    private sealed record Series(Counter.Child Requests, Histogram.Child Duration);

    public void Retried(string deployment, bool refused) => _retries.WithLabels(deployment, refused ? "refused" : "turned_away").Inc();
}
