import { FormEvent, useEffect, useState } from 'react';
import { getJson, request, sendJson } from '../api';
import { Sparkline } from '../components/Sparkline';
import { dateTime, json, perSecond, time } from '../format';
import { usePoll } from '../hooks';

interface Runtime {
  uuid: string; name: string; state: string; alive: boolean; url?: string | null; version: string; labels: Record<string, string>;
  capacity: { cores: number; memoryMb: number; maxModules: number };
  load?: { inFlight: number; callsPerSec: number; cpuPercent: number; memoryMb: number } | null;
  moduleCount: number; drainRequested: boolean; lastSeen: string;
}
interface Module { uuid: string; deployment: string; state: string; reason?: string | null; runtimeName?: string | null; alive: boolean }
interface Deployment {
  name: string; plugin: string; hash: string; kind: string; replicas: number; labels: Record<string, string>; updatedAt: string;
  status: { state: string; desired: number; running: number; pending: number; failed: number; reason?: string | null };
  modules: Module[];
}
interface Stats { reconciler: Record<string, unknown>; fleet: Record<string, number> }
/** One of the orchestrator's events (GET /api/events): its reconciler's named log events. */
interface FleetEvent { id: number; time: string; level: string; name: string; message: string }

const historyLength = 60;

export function FleetPage() {
  const runtimes = usePoll(async () => (await getJson<{ runtimes: Runtime[] }>('/api/runtimes')).runtimes, 2000);
  const deployments = usePoll(async () => (await getJson<{ deployments: Deployment[] }>('/api/deployments')).deployments, 2000);
  const stats = usePoll(() => getJson<Stats>('/api/stats'), 5000);
  const feed = usePoll(async () => (await getJson<{ last: number; events: FleetEvent[] }>('/api/events?limit=200')).events.reverse(), 2000);
  const events = feed.data ?? [];
  const [loads, setLoads] = useState<Map<string, { calls: number; cpu: number }[]>>(new Map());
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | undefined>();
  useEffect(() => {
    if (!runtimes.data) return;
    setLoads(old => {
      const next = new Map(old);
      for (const r of runtimes.data!) {
        next.set(r.uuid, [...(next.get(r.uuid) ?? []), { calls: r.load?.callsPerSec ?? 0, cpu: r.load?.cpuPercent ?? 0 }].slice(-historyLength));
      }
      return next;
    });
  }, [runtimes.data]);

  const act = async (what: string, action: () => Promise<unknown>) => {
    setOutcome(undefined);
    try {
      await action();
      setOutcome({ ok: true, text: `${what}: accepted` });
      runtimes.reload();
      deployments.reload();
    } catch (e) {
      setOutcome({ ok: false, text: `${what}: ${e instanceof Error ? e.message : String(e)}` });
    }
  };

  return (
    <div className="page" data-testid="fleet-page">
      <h1>Fleet</h1>
      {outcome && <p className={outcome.ok ? 'ok' : 'error'} data-testid="action-outcome" role="status">{outcome.text}</p>}
      {stats.data && (
        <p className="muted" data-testid="fleet-stats">
          {stats.data.fleet.runtimesAlive}/{stats.data.fleet.runtimes} runtimes alive · {stats.data.fleet.deployments} deployments ·
          modules {stats.data.fleet.modulesRunning} running, {stats.data.fleet.modulesPending} pending, {stats.data.fleet.modulesFailed} failed ·
          fleet version {stats.data.fleet.version}
        </p>
      )}
      <section className="card">
        <h2>Runtimes</h2>
        {runtimes.error && <p className="error">{runtimes.error}</p>}
        <table>
          <thead><tr><th>name</th><th>state</th><th>capacity</th><th>load</th><th>calls/s</th><th>cpu</th><th>modules</th><th></th></tr></thead>
          <tbody>
            {runtimes.data?.map(r => (
              <tr key={r.uuid} data-testid="runtime" data-runtime={r.name} data-state={r.state}>
                <td><b>{r.name}</b><div className="muted">{r.version} {json(r.labels) !== '{}' ? json(r.labels) : ''}</div>{r.url && <div className="muted">{r.url}</div>}</td>
                <td data-testid="runtime-state">{r.state}{r.drainRequested ? ' (drain requested)' : ''}</td>
                <td>{r.capacity.cores} cores, {r.capacity.memoryMb} MB, {r.capacity.maxModules} modules</td>
                <td>{r.load ? `${r.load.inFlight} in flight, ${r.load.memoryMb.toFixed(0)} MB` : '–'}</td>
                <td><Sparkline label="calls/s" values={(loads.get(r.uuid) ?? []).map(l => l.calls)} format={perSecond} /></td>
                <td><Sparkline label="cpu" values={(loads.get(r.uuid) ?? []).map(l => l.cpu)} format={v => `${v.toFixed(0)}%`} /></td>
                <td>{r.moduleCount}</td>
                <td>
                  <button disabled={!r.alive || r.drainRequested} onClick={() => act(`drain ${r.name}`, () => sendJson('POST', `/api/runtimes/${encodeURIComponent(r.uuid)}/drain`))}>Drain</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card">
        <h2>Deployments</h2>
        {deployments.error && <p className="error">{deployments.error}</p>}
        {deployments.data?.length === 0 && <p className="muted">Nothing is deployed.</p>}
        <table>
          <thead><tr><th>name</th><th>state</th><th>replicas</th><th>placement</th><th></th></tr></thead>
          <tbody>
            {deployments.data?.map(d => (
              <tr key={d.name} data-testid="deployment" data-deployment={d.name}>
                <td><b>{d.name}</b><div className="muted">{d.kind} · {d.hash.slice(0, 12)} · {time(d.updatedAt)}</div></td>
                <td>{d.status.state} {d.status.running}/{d.status.desired}{d.status.reason && <div className="muted">{d.status.reason}</div>}</td>
                <td><ScaleForm deployment={d} onScale={replicas => act(`scale ${d.name} to ${replicas}`, () => sendJson('POST', '/api/deployments', { name: d.name, hash: d.hash, replicas, labels: d.labels }))} /></td>
                <td>
                  <ul className="placement">
                    {d.modules.map(m => <li key={m.uuid}>{m.runtimeName ?? '(unplaced)'}: {m.state}{m.reason ? ` (${m.reason})` : ''}</li>)}
                  </ul>
                </td>
                <td><button onClick={() => confirm(`Stop ${d.name} on every runtime?`) && act(`stop ${d.name}`, () => request(`/api/deployments/${encodeURIComponent(d.name)}`, { method: 'DELETE' }))}>Stop</button></td>
              </tr>
            ))}
          </tbody>
        </table>
        <DeployForm onDeploy={(form, name) => act(`deploy ${name}`, () => request('/api/deployments', { method: 'POST', body: form }))} />
      </section>
      <section className="card">
        <h2>Events <small>the newest first</small></h2>
        {feed.error && <p className="error">{feed.error}</p>}
        <ul className="events" data-testid="events">
          {events.map(e => <li key={e.id} className={`level-${e.level}`} title={e.name}><span className="muted">{time(e.time)}</span> {e.message}</li>)}
        </ul>
        {feed.data && events.length === 0 && <p className="muted">Nothing has happened in the fleet since the orchestrator started.</p>}
      </section>
      <p className="muted">Runtimes seen last: {runtimes.data?.map(r => `${r.name} ${dateTime(r.lastSeen)}`).join(', ')}</p>
    </div>
  );
}

function ScaleForm({ deployment, onScale }: { deployment: Deployment; onScale: (replicas: number) => void }) {
  const [replicas, setReplicas] = useState(String(deployment.replicas));
  return (
    <form className="inline" onSubmit={e => { e.preventDefault(); onScale(Number(replicas)); }}>
      <input type="number" min={0} aria-label={`replicas of ${deployment.name}`} value={replicas} onChange={e => setReplicas(e.target.value)} />
      <button type="submit">Scale</button>
    </form>
  );
}

function DeployForm({ onDeploy }: { onDeploy: (form: FormData, name: string) => void }) {
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    for (const key of ['name', 'replicas', 'labels']) if (!form.get(key)) form.delete(key);
    const file = form.get('plugin') as File | null;
    onDeploy(form, String(form.get('name') || file?.name || 'plugin'));
  };
  return (
    <form className="deploy" onSubmit={submit} data-testid="deploy-form">
      <h3>Deploy a .wasm</h3>
      <label>module <input type="file" name="plugin" accept=".wasm" required /></label>
      <label>manifest <input type="file" name="manifest" accept=".json" /></label>
      <label>name <input name="name" placeholder="from the manifest or module" /></label>
      <label>replicas <input name="replicas" type="number" min={0} defaultValue={1} /></label>
      <label>labels <input name="labels" placeholder="k=v,k=v" /></label>
      <button type="submit">Deploy</button>
    </form>
  );
}
