import { useState } from 'react';
import { getJson } from '../api';
import { dateTime } from '../format';
import { usePoll } from '../hooks';

interface Job {
  id: string; plugin: string; status: string; exitCode?: number | null; error?: string | null; args: string[];
  startedAt: string; durationMs?: number | null; stdout?: string; stderr?: string; stdoutTruncated: boolean; stderrTruncated: boolean;
}

/** Jobs of command plugins (GET /jobs), newest first; a job's output (GET /jobs/ID) when opened. */
export function JobsPage() {
  const { data, error } = usePoll(() => getJson<{ items: Job[] }>('/jobs?limit=100'), 3000);
  const [open, setOpen] = useState<string | undefined>();
  const detail = usePoll(() => (open ? getJson<Job>(`/jobs/${encodeURIComponent(open)}`) : Promise.resolve(undefined)), open ? 3000 : 0, [open]);
  return (
    <div className="page" data-testid="jobs-page">
      <h1>Jobs</h1>
      {error && <p className="error">{error}</p>}
      {data && data.items.length === 0 && <p className="muted">No jobs yet. POST /jobs runs a command plugin.</p>}
      <table>
        <thead><tr><th>started</th><th>plugin</th><th>args</th><th>status</th><th>exit</th><th>duration</th></tr></thead>
        <tbody>
          {data?.items.map(j => (
            <tr key={j.id} data-testid="job" className={`clickable ${open === j.id ? 'selected' : ''}`} onClick={() => setOpen(open === j.id ? undefined : j.id)}>
              <td>{dateTime(j.startedAt)}</td>
              <td>{j.plugin}</td>
              <td><code>{j.args.join(' ')}</code></td>
              <td>{j.status}{j.error ? `: ${j.error}` : ''}</td>
              <td>{j.exitCode ?? ''}</td>
              <td>{j.durationMs != null ? `${j.durationMs.toFixed(0)} ms` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {open && detail.data && (
        <section className="card" data-testid="job-output">
          <h2>{detail.data.plugin} <small>{detail.data.id}</small></h2>
          <h3>stdout{detail.data.stdoutTruncated ? ' (truncated)' : ''}</h3><pre>{detail.data.stdout}</pre>
          <h3>stderr{detail.data.stderrTruncated ? ' (truncated)' : ''}</h3><pre>{detail.data.stderr}</pre>
        </section>
      )}
    </div>
  );
}
