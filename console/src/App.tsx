import { lazy, Suspense, useEffect, useState } from 'react';
import { getJson, getToken, setToken } from './api';
import { FunctionsPage } from './pages/FunctionsPage';
import { LogsPage } from './pages/LogsPage';
import { InferencesPage } from './pages/InferencesPage';
import { JobsPage } from './pages/JobsPage';
import { FleetPage } from './pages/FleetPage';
import { TracePage } from './pages/TracePage';

// GraphiQL and its editor are most of the console's bytes: loaded only when the explorer opens.
const ExplorerPage = lazy(() => import('./pages/ExplorerPage'));

interface Info { kind: string; version?: string; tokenRequired?: boolean; [key: string]: unknown }

interface Page { id: string; title: string }

const runtimePages: Page[] = [
  { id: 'explorer', title: 'Explorer' },
  { id: 'functions', title: 'Functions' },
  { id: 'logs', title: 'Logs' },
  { id: 'inferences', title: 'Inferences' },
  { id: 'jobs', title: 'Jobs' },
];
const fleetPages: Page[] = [
  { id: 'fleet', title: 'Fleet' },
  { id: 'explorer', title: 'Explorer' },
];

function currentRoute(): { page: string; params: URLSearchParams } {
  const hash = location.hash.replace(/^#\/?/, '');
  const [page, search] = hash.split('?');
  return { page: page ?? '', params: new URLSearchParams(search ?? '') };
}

export function App() {
  const [info, setInfo] = useState<Info | undefined>(undefined);
  const [infoError, setInfoError] = useState<string | undefined>(undefined);
  const [route, setRoute] = useState(currentRoute());
  const [token, setTokenText] = useState(getToken());

  useEffect(() => {
    getJson<Info>('/api/info').then(setInfo, e => setInfoError(String(e.message ?? e)));
    const onHash = () => setRoute(currentRoute());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const pages = info?.kind === 'runtime' ? runtimePages : fleetPages;
  const page = pages.some(p => p.id === route.page) || route.page === 'trace' ? route.page : pages[0].id;

  return (
    <div className="shell">
      <header className="bar">
        <span className="brand">Wafer</span>
        <span className="kind" data-testid="server-kind">{info ? `${info.kind}${info.version ? ' ' + info.version : ''}` : ''}</span>
        <nav>
          {pages.map(p => (
            <a key={p.id} href={`#/${p.id}`} className={p.id === page ? 'active' : ''}>{p.title}</a>
          ))}
        </nav>
        <label className="token">
          token
          <input
            type="password"
            aria-label="token"
            placeholder="for control actions"
            value={token}
            onChange={e => { setTokenText(e.target.value); setToken(e.target.value); }}
          />
        </label>
      </header>
      <main>
        {infoError && <p className="error">Could not ask the server what it is: {infoError}</p>}
        {info && (
          <Suspense fallback={<p className="muted">Loading…</p>}>
            {page === 'explorer' && <ExplorerPage kind={info.kind} query={route.params.get('query') ?? undefined} />}
            {page === 'functions' && <FunctionsPage />}
            {page === 'logs' && <LogsPage initial={route.params} />}
            {page === 'inferences' && <InferencesPage />}
            {page === 'jobs' && <JobsPage />}
            {page === 'fleet' && <FleetPage />}
            {page === 'trace' && <TracePage callId={route.params.get('callId') ?? ''} traceId={route.params.get('traceId') ?? ''} />}
          </Suspense>
        )}
      </main>
    </div>
  );
}
