import { useEffect, useRef, useState } from 'react';
import { getJson, query } from '../api';
import { time } from '../format';
import { useTracing } from './TracePage';

export interface LogLine { id?: number; time: string; callId: string; plugin: string; function: string; level: string; message: string; cause?: string | null }

const keep = 1000;

/**
 * The call log: the last lines from GET /api/logs, then new ones as they come over server-sent events
 * (GET /api/logs/stream), with the same filters. Newest first; at most the last thousand lines are kept.
 */
export function LogsPage({ initial }: { initial: URLSearchParams }) {
  const [plugin, setPlugin] = useState(initial.get('plugin') ?? '');
  const [fn, setFn] = useState(initial.get('function') ?? '');
  const [callId, setCallId] = useState(initial.get('callId') ?? '');
  const [lines, setLines] = useState<LogLine[]>([]);
  const [state, setState] = useState('connecting');
  const [error, setError] = useState<string | undefined>();
  const [dropped, setDropped] = useState(0);
  const tracing = useTracing();
  const filters = useRef({ plugin, fn, callId });
  filters.current = { plugin, fn, callId };

  useEffect(() => {
    const params = { plugin: plugin || undefined, function: fn || undefined, callId: callId || undefined };
    let stopped = false;
    setLines([]);
    setError(undefined);
    setDropped(0);
    getJson<LogLine[]>('/api/logs' + query({ plugin: params.plugin, function: params.function, limit: '200' }))
      .then(old => {
        if (stopped) return;
        const matching = old.filter(l => !params.callId || l.callId === params.callId);
        setLines(current => merge(current, matching));
      })
      .catch(e => !stopped && setError(String(e.message ?? e)));
    const source = new EventSource('/api/logs/stream' + query(params));
    source.onopen = () => setState('live');
    source.onerror = () => setState(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    source.onmessage = e => {
      const line = JSON.parse(e.data) as LogLine;
      setLines(current => merge(current, [line]));
    };
    source.addEventListener('dropped', e => setDropped(d => d + Number((e as MessageEvent).data)));
    return () => { stopped = true; source.close(); };
  }, [plugin, fn, callId]);

  return (
    <div className="page" data-testid="logs-page">
      <h1>Logs <small className={`state ${state}`} data-testid="tail-state">{state}</small></h1>
      <form className="filters" onSubmit={e => e.preventDefault()}>
        <input aria-label="plugin" placeholder="plugin" defaultValue={plugin} onBlur={e => setPlugin(e.target.value.trim())} onKeyDown={e => e.key === 'Enter' && setPlugin((e.target as HTMLInputElement).value.trim())} />
        <input aria-label="function" placeholder="function" defaultValue={fn} onBlur={e => setFn(e.target.value.trim())} onKeyDown={e => e.key === 'Enter' && setFn((e.target as HTMLInputElement).value.trim())} />
        <input aria-label="call id" placeholder="call id" defaultValue={callId} onBlur={e => setCallId(e.target.value.trim())} onKeyDown={e => e.key === 'Enter' && setCallId((e.target as HTMLInputElement).value.trim())} />
      </form>
      {error && <p className="error">{error}</p>}
      {dropped > 0 && <p className="warn">{dropped} lines were skipped because this page fell behind.</p>}
      <table className="logs">
        <thead><tr><th>time</th><th>level</th><th>plugin/function</th><th>call</th><th>message</th></tr></thead>
        <tbody>
          {lines.map(l => (
            <tr key={`${l.callId}/${l.id ?? ''}/${l.time}/${l.message}`} className={`level-${l.level}`} data-testid="log-line">
              <td>{time(l.time)}</td>
              <td>{l.level}</td>
              <td>{l.plugin}/{l.function}</td>
              <td>
                <a href={`#/logs?callId=${encodeURIComponent(l.callId)}`} onClick={() => setCallId(l.callId)}>{l.callId.slice(0, 12)}</a>
                {tracing && <> · <a href={`#/trace?callId=${encodeURIComponent(l.callId)}`}>spans</a></>}
              </td>
              <td className="message">{l.message}{l.cause && <span className="cause"> ({l.cause})</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {lines.length === 0 && <p className="muted">No lines yet. Lines appear here as calls write them.</p>}
    </div>
  );
}

function merge(current: LogLine[], incoming: LogLine[]): LogLine[] {
  const seen = new Set(current.map(l => `${l.callId}|${l.time}|${l.message}`));
  const added = incoming.filter(l => !seen.has(`${l.callId}|${l.time}|${l.message}`));
  if (added.length === 0) return current;
  return [...added, ...current].sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0)).slice(0, keep);
}
