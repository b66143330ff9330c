import { Fragment, useState } from 'react';
import { getJson, query } from '../api';
import { dateTime } from '../format';
import { usePoll } from '../hooks';

interface Inference {
  id: string; time: string; plugin: string; function: string; callId: string; model: string; modelId: string;
  input: string; output?: string | null; durationMs: number; promptTokens?: number | null; completionTokens?: number | null;
  status: string; error?: string | null;
}

/** The inference history (GET /api/inferences): model, tokens, latency, and each call's input and output on demand. */
export function InferencesPage() {
  const [model, setModel] = useState('');
  const { data, error } = usePoll(() => getJson<{ items: Inference[] }>('/api/inferences' + query({ model: model || undefined, limit: '100' })), 5000, [model]);
  const [open, setOpen] = useState<string | undefined>();
  return (
    <div className="page" data-testid="inferences-page">
      <h1>Inferences</h1>
      <form className="filters" onSubmit={e => e.preventDefault()}>
        <input aria-label="model" placeholder="model" defaultValue={model} onKeyDown={e => e.key === 'Enter' && setModel((e.target as HTMLInputElement).value.trim())} />
      </form>
      {error && <p className="error">{error}</p>}
      {data && data.items.length === 0 && <p className="muted">No inferences recorded yet.</p>}
      <table>
        <thead><tr><th>time</th><th>plugin/function</th><th>model</th><th>tokens in/out</th><th>latency</th><th>status</th></tr></thead>
        <tbody>
          {data?.items.map(i => (
            <Fragment key={i.id}>
              <tr data-testid="inference" onClick={() => setOpen(open === i.id ? undefined : i.id)} className="clickable">
                <td>{dateTime(i.time)}</td>
                <td>{i.plugin}/{i.function}</td>
                <td>{i.model}{i.modelId && i.modelId !== i.model ? <small> ({i.modelId})</small> : null}</td>
                <td>{i.promptTokens ?? '–'} / {i.completionTokens ?? '–'}</td>
                <td>{i.durationMs.toFixed(0)} ms</td>
                <td className={i.status === 'ok' ? '' : 'warn'}>{i.status}{i.error ? `: ${i.error}` : ''}</td>
              </tr>
              {open === i.id && (
                <tr className="detail"><td colSpan={6}>
                  <h3>input</h3><pre>{i.input}</pre>
                  <h3>output</h3><pre>{i.output ?? ''}</pre>
                </td></tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
