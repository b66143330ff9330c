import { useEffect, useState } from 'react';
import { getJson, query } from '../api';
import { usePoll } from '../hooks';

export interface Span {
  name: string; spanId: string; parentSpanId?: string | null; traceId?: string; start: string; durationMs: number;
  status?: string | null; attributes?: Record<string, unknown> | null;
}

let tracingKnown: Promise<boolean> | undefined;

/**
 * Whether this server keeps recent spans: with tracing off every /api/traces answer is a 404 whose problem says
 * `"tracing": "off"` (a 404 for a call it kept no span of says nothing); span views stay hidden then.
 */
export function useTracing(): boolean {
  const [on, setOn] = useState(false);
  useEffect(() => {
    tracingKnown ??= fetch('/api/traces?callId=-', { headers: { Accept: 'application/json' } })
      .then(async r => r.status !== 404 || (await r.json().catch(() => ({})))?.tracing !== 'off', () => false);
    let stopped = false;
    tracingKnown.then(v => !stopped && setOn(v));
    return () => { stopped = true; };
  }, []);
  return on;
}

/** The spans of one call (or one trace) as a waterfall: each span's bar placed on the trace's time line, children indented. */
export function TracePage({ callId, traceId }: { callId: string; traceId: string }) {
  const path = traceId ? `/api/traces/${encodeURIComponent(traceId)}` : '/api/traces' + query({ callId });
  const { data, error } = usePoll(() => getJson<{ traceId: string; spans: Span[] }>(path), 0, [path]);
  const spans = data?.spans ?? [];
  const starts = spans.map(s => Date.parse(s.start));
  const t0 = Math.min(...starts);
  const t1 = Math.max(...spans.map((s, i) => starts[i] + s.durationMs));
  const total = Math.max(t1 - t0, 1);
  const depth = (s: Span): number => {
    let d = 0;
    for (let p = s.parentSpanId; p && d < 32; d++) p = spans.find(x => x.spanId === p)?.parentSpanId;
    return d;
  };
  return (
    <div className="page" data-testid="trace-page">
      <h1>Spans {callId ? <small>of call {callId}</small> : <small>of trace {traceId}</small>}</h1>
      {error && <p className="error">{error.startsWith('404') ? 'Tracing is off on this server, or the spans are no longer kept.' : error}</p>}
      {data && spans.length === 0 && <p className="muted">No spans kept for this call.</p>}
      <div className="waterfall">
        {spans.map((s, i) => (
          <div className="span" key={s.spanId} data-testid="span" title={JSON.stringify(s.attributes ?? {}, null, 1)}>
            <span className="span-name" style={{ paddingLeft: `${depth(s)}em` }}>{s.name}</span>
            <span className="span-track">
              <span className={`span-bar ${s.status === 'error' || s.status === 'Error' ? 'failed' : ''}`}
                style={{ left: `${((starts[i] - t0) / total) * 100}%`, width: `${Math.max((s.durationMs / total) * 100, 0.5)}%` }} />
            </span>
            <span className="span-ms">{s.durationMs.toFixed(2)} ms</span>
          </div>
        ))}
      </div>
    </div>
  );
}
