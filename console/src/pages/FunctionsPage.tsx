import { useEffect, useRef, useState } from 'react';
import { getJson, request } from '../api';
import { Sparkline } from '../components/Sparkline';
import type { PluginsAnswer, PluginInfo } from '../explorer/TryIt';
import { dateTime, json, percent, perSecond, seconds } from '../format';
import { usePoll } from '../hooks';
import { FunctionRates, FunctionTotals, parseMetrics, rates, totals } from '../metrics';

const historyLength = 60;
const scrapeMs = 2000;

/** Per function, the last minute of rates, from /metrics scraped every two seconds while the page is open. */
function useFunctionRates() {
  const [history, setHistory] = useState<Map<string, FunctionRates[]>>(new Map());
  const last = useRef<{ at: number; totals: Map<string, FunctionTotals> } | undefined>(undefined);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const scrape = async () => {
      try {
        const text = await (await request('/metrics')).text();
        const now = performance.now();
        const current = totals(parseMetrics(text));
        const before = last.current;
        last.current = { at: now, totals: current };
        if (before && !stopped) {
          setHistory(old => {
            const next = new Map(old);
            for (const [key, t] of current) {
              const series = [...(next.get(key) ?? []), rates(before.totals.get(key), t, (now - before.at) / 1000)];
              next.set(key, series.slice(-historyLength));
            }
            return next;
          });
        }
      } catch {
        // the next scrape tries again
      }
      if (!stopped) timer = setTimeout(scrape, scrapeMs);
    };
    scrape();
    return () => { stopped = true; if (timer) clearTimeout(timer); };
  }, []);
  return history;
}

export function FunctionsPage() {
  const { data, error } = usePoll(() => getJson<PluginsAnswer>('/api/plugins'), 5000);
  const history = useFunctionRates();
  const refused = (data?.sources ?? []).filter(s => s.state !== 'loaded');
  return (
    <div className="page" data-testid="functions-page">
      <h1>Functions and plugins</h1>
      {error && <p className="error">{error}</p>}
      {refused.length > 0 && (
        <section className="refused">
          <h2>Refused</h2>
          <ul>
            {refused.map(s => (
              <li key={s.sourcePath} data-testid="refused-plugin"><b>{s.name ?? s.sourcePath}</b> <code>{s.sourcePath}</code>: {s.error}</li>
            ))}
          </ul>
        </section>
      )}
      {data && data.plugins.length === 0 && <p className="muted">No plugins are loaded.</p>}
      {data?.plugins.map(p => <PluginCard key={p.name} plugin={p} history={history} />)}
    </div>
  );
}

function PluginCard({ plugin, history }: { plugin: PluginInfo; history: Map<string, FunctionRates[]> }) {
  return (
    <section className="card" data-testid="plugin" data-plugin={plugin.name}>
      <h2>{plugin.name} <small>{plugin.version ? `v${plugin.version}` : ''} · {plugin.type} · {plugin.hash.slice(0, 12)}</small></h2>
      <dl className="facts">
        <dt>source</dt><dd>{plugin.source}</dd>
        <dt>loaded</dt><dd>{dateTime(plugin.loadedAt)}</dd>
        {plugin.sdk && <><dt>sdk</dt><dd>{plugin.sdk}</dd></>}
        <dt>limits</dt><dd><code>{json(plugin.limits) || 'defaults'}</code></dd>
        <dt>capabilities</dt><dd><code>{json(plugin.capabilities) || 'none'}</code></dd>
        {plugin.graphql && plugin.graphql.state !== 'served' && (
          <><dt>GraphQL</dt><dd className="warn">{plugin.graphql.state}: {plugin.graphql.reason} {plugin.graphql.leftOut?.length ? `(left out: ${plugin.graphql.leftOut.join(', ')})` : ''}</dd></>
        )}
      </dl>
      <table>
        <thead><tr><th>function</th><th>calls/s</th><th>errors</th><th>p50</th><th>p99</th></tr></thead>
        <tbody>
          {plugin.functions.map(f => {
            const series = history.get(`${plugin.name}/${f.name}`) ?? [];
            const latest = series[series.length - 1];
            return (
              <tr key={f.name} data-testid="function" data-function={f.name}>
                <td>
                  <code className="signature">{f.name}({f.parameters.map(p => `${p.name}: ${p.type}`).join(', ')}): {f.result}</code>
                  {f.doc && <div className="doc">{f.doc}</div>}
                  {latest && <div className="muted" data-testid="call-count">{latest.calls} calls, {latest.errors} failed since start</div>}
                </td>
                <td><Sparkline label="calls/s" values={series.map(r => r.callsPerSecond)} format={perSecond} /></td>
                <td><Sparkline label="error rate" values={series.map(r => r.errorRate)} format={percent} /></td>
                <td><Sparkline label="p50" values={series.map(r => r.p50)} format={seconds} /></td>
                <td><Sparkline label="p99" values={series.map(r => r.p99)} format={seconds} /></td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
