import { useState } from 'react';
import { authHeaders, getJson } from '../api';
import { usePoll } from '../hooks';

export interface Parameter { name: string; type: string }
export interface FunctionInfo { name: string; parameters: Parameter[]; result: string; doc?: string | null }
export interface PluginInfo {
  name: string; type: string; version?: string | null; hash: string; source?: string | null; loadedAt?: string; sdk?: string | null;
  limits?: Record<string, unknown> | null; capabilities?: unknown; functions: FunctionInfo[];
  graphql?: { state: string; reason?: string | null; leftOut?: string[] | null } | null;
}
export interface SourceStatus { sourcePath: string; name?: string | null; state: string; error?: string | null; checkedAt: string }
export interface PluginsAnswer { plugins: PluginInfo[]; sources: SourceStatus[] }

/** A value typed in a form field: JSON when it reads as JSON (numbers, booleans, objects), else the text as a string. */
export function fieldValue(text: string, type: string): unknown {
  if (/^String/.test(type) && !/^\s*"/.test(text)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** REST "try it": a form per function, built from its parameters, sending POST /functions/PLUGIN/NAME. */
export function TryIt() {
  const { data } = usePoll(() => getJson<PluginsAnswer>('/api/plugins'), 0);
  const functions = (data?.plugins ?? []).filter(p => p.type !== 'command').flatMap(p => p.functions.map(f => ({ plugin: p.name, f })));
  const [selected, setSelected] = useState('');
  const chosen = functions.find(x => `${x.plugin}/${x.f.name}` === selected) ?? functions[0];
  return (
    <section className="tryit" data-testid="tryit">
      <h2>Try a function over REST</h2>
      {functions.length === 0 ? <p className="muted">No functions are served.</p> : (
        <>
          <select aria-label="function" value={chosen ? `${chosen.plugin}/${chosen.f.name}` : ''} onChange={e => setSelected(e.target.value)}>
            {functions.map(x => <option key={`${x.plugin}/${x.f.name}`} value={`${x.plugin}/${x.f.name}`}>{x.plugin}/{x.f.name}</option>)}
          </select>
          {chosen && <TryForm key={`${chosen.plugin}/${chosen.f.name}`} plugin={chosen.plugin} fn={chosen.f} />}
        </>
      )}
    </section>
  );
}

function TryForm({ plugin, fn }: { plugin: string; fn: FunctionInfo }) {
  const [values, setValues] = useState<Record<string, string>>({});
  const [answer, setAnswer] = useState<{ status: number; body: string; callId?: string | null } | undefined>();
  const [busy, setBusy] = useState(false);
  const call = async () => {
    setBusy(true);
    try {
      const body: Record<string, unknown> = {};
      for (const p of fn.parameters) if (values[p.name] !== undefined && values[p.name] !== '') body[p.name] = fieldValue(values[p.name], p.type);
      const response = await fetch(`/functions/${encodeURIComponent(plugin)}/${encodeURIComponent(fn.name)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...authHeaders() },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      let pretty = text;
      try { pretty = JSON.stringify(JSON.parse(text), null, 2); } catch { /* as it came */ }
      setAnswer({ status: response.status, body: pretty, callId: response.headers.get('x-wafer-call-id') });
    } catch (e) {
      setAnswer({ status: 0, body: String(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={e => { e.preventDefault(); call(); }}>
      <p className="signature"><code>{fn.name}({fn.parameters.map(p => `${p.name}: ${p.type}`).join(', ')}): {fn.result}</code></p>
      {fn.doc && <p className="doc">{fn.doc}</p>}
      {fn.parameters.map(p => (
        <label key={p.name} className="field">
          <span>{p.name} <small>{p.type}</small></span>
          <input name={p.name} aria-label={p.name} value={values[p.name] ?? ''} onChange={e => setValues({ ...values, [p.name]: e.target.value })} />
        </label>
      ))}
      <button type="submit" disabled={busy}>POST /functions/{plugin}/{fn.name}</button>
      {answer && (
        <div className="answer">
          <p>status <b data-testid="tryit-status">{answer.status}</b>{answer.callId && <> · call <a href={`#/logs?callId=${encodeURIComponent(answer.callId)}`}>{answer.callId}</a></>}</p>
          <pre data-testid="tryit-body">{answer.body}</pre>
        </div>
      )}
    </form>
  );
}
