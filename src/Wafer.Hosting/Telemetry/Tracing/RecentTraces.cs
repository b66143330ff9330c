namespace Wafer.Hosting.Telemetry.Tracing;

/// <summary>
/// The spans of the most recent traces a process recorded, for <c>GET /api/traces</c> and the console: at most
/// <see cref="TracingOptions.RecentTraces"/> traces (the oldest forgotten first) of at most
/// <see cref="TracingOptions.SpansPerTrace"/> spans each, found by trace id or by the call id a span carries. Filled
/// only while tracing is on; spans are added as they end, off the call's answer.
/// </summary>
public sealed class RecentTraces(int maxTraces, int maxSpansPerTrace)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Trace> _traces = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly Dictionary<string, string> _byCallId = new(StringComparer.Ordinal);

    internal void Add(SpanView span)
    {
        ArgumentNullException.ThrowIfNull(span);
        lock (_lock)
        {
            if (!_traces.TryGetValue(span.TraceId, out var trace))
            {
                while (_traces.Count >= maxTraces && _order.TryDequeue(out var oldest))
                {
                    Forget(oldest);
                }

                trace = new Trace();
                _traces.Add(span.TraceId, trace);
                _order.Enqueue(span.TraceId);
            }

            if (trace.Spans.Count >= maxSpansPerTrace)
            {
                trace.Dropped++;
                return;
            }

            trace.Spans.Add(span);
            if (span.Attributes.TryGetValue(TraceAttributes.CallId, out var callId) && callId is string id)
            {
                _byCallId[id] = span.TraceId;
                trace.CallIds.Add(id);
            }
        }
    }

    /// <summary>The spans of a trace kept, in order of start, and how many were not kept; null when none is.</summary>
    internal (IReadOnlyList<SpanView> Spans, int Dropped)? Find(string traceId)
    {
        lock (_lock)
        {
            return _traces.TryGetValue(traceId, out var trace) ? ([.. trace.Spans.OrderBy(s => s.Start)], trace.Dropped) : null;
        }
    }

    /// <summary>The id of the trace holding a span of call <paramref name="callId"/>; null when none kept does.</summary>
    public string? TraceOfCall(string callId)
    {
        lock (_lock)
        {
            return _byCallId.GetValueOrDefault(callId);
        }
    }

    /// <summary>The newest traces first, at most <paramref name="count"/>, each with its spans.</summary>
    internal IReadOnlyList<(string TraceId, IReadOnlyList<SpanView> Spans)> Latest(int count)
    {
        lock (_lock)
        {
            return [.. _order.Reverse().Take(count).Select(id => (id, (IReadOnlyList<SpanView>)[.. _traces[id].Spans.OrderBy(s => s.Start)]))];
        }
    }

    private void Forget(string traceId)
    {
        if (_traces.Remove(traceId, out var trace))
        {
            foreach (var callId in trace.CallIds)
            {
                if (_byCallId.TryGetValue(callId, out var owner) && owner == traceId)
                {
                    _byCallId.Remove(callId);
                }
            }
        }
    }

    private sealed class Trace
    {
        public List<SpanView> Spans { get; } = [];

        public HashSet<string> CallIds { get; } = new(StringComparer.Ordinal);

        public int Dropped { get; set; }
    }
}
