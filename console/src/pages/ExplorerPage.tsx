import '../explorer/workers';
import { GraphiQL } from 'graphiql';
// GraphiQL's styles without the copy of Monaco's styles and fonts its style.css carries for CDN use: the editor's
// own modules bring Monaco's styles, and the system's fonts stand in.
import '@graphiql/react/style.css';
import '@graphiql/plugin-doc-explorer/style.css';
import '@graphiql/plugin-history/style.css';
import 'graphiql/graphiql.css';
import { useMemo } from 'react';
import { getToken } from '../api';
import { graphqlFetcher } from '../explorer/fetcher';
import { TryIt } from '../explorer/TryIt';

const starter = `# Functions are fields of Query (reads) and Mutation.
# Ctrl-Space completes, Ctrl-Enter runs, Shift-Ctrl-P prettifies; the docs are on the left.
{
  __typename
}
`;

export default function ExplorerPage({ kind, query }: { kind: string; query?: string }) {
  const fetcher = useMemo(() => graphqlFetcher('/graphql'), []);
  const token = getToken();
  return (
    <div className="explorer">
      <div className="graphiql-pane" data-testid="graphiql">
        <GraphiQL
          fetcher={fetcher}
          defaultQuery={starter}
          initialQuery={query}
          initialHeaders={token ? JSON.stringify({ Authorization: `Bearer ${token}` }, null, 2) : undefined}
          isHeadersEditorEnabled
          defaultEditorToolsVisibility="variables"
        />
      </div>
      {kind === 'runtime' && <TryIt />}
    </div>
  );
}
