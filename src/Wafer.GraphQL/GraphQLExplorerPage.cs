namespace Wafer.GraphQL;

/// <summary>
/// The page <c>GET /graphql</c> serves: a query editor that posts to the same path, shows the response, and lists
/// the schema. Self-contained (no CDN): runtimes often run offline.
/// </summary>
internal static class GraphQLExplorerPage
{
    public const string Html = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Wafer GraphQL</title>
        <style>
          :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
          body { margin: 0; display: flex; flex-direction: column; height: 100vh; }
          header { display: flex; gap: .5rem; align-items: center; padding: .5rem 1rem; border-bottom: 1px solid #8884; }
          header b { margin-right: auto; }
          main { flex: 1; display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; padding: 1rem; min-height: 0; }
          section { display: flex; flex-direction: column; gap: .25rem; min-height: 0; }
          textarea, pre { font: 13px/1.4 ui-monospace, monospace; border: 1px solid #8886; border-radius: 4px; padding: .5rem; margin: 0; }
          textarea { resize: none; tab-size: 2; }
          #query { flex: 3; } #variables { flex: 1; }
          pre { flex: 1; overflow: auto; white-space: pre-wrap; }
          label { font-size: 12px; opacity: .7; }
          button { padding: .3rem .8rem; cursor: pointer; }
        </style>
        </head>
        <body>
        <header>
          <b>Wafer GraphQL</b>
          <input id="operation" placeholder="operation name (optional)" size="22">
          <button id="run" title="Ctrl+Enter">Run</button>
          <button id="schema">Schema</button>
        </header>
        <main>
          <section>
            <label for="query">Query</label>
            <textarea id="query" spellcheck="false"></textarea>
            <label for="variables">Variables (JSON)</label>
            <textarea id="variables" spellcheck="false"></textarea>
          </section>
          <section>
            <label id="status">Result</label>
            <pre id="output"></pre>
          </section>
        </main>
        <script>
          const endpoint = location.pathname.replace(/\/+$/, '');
          const $ = id => document.getElementById(id);
          const query = $('query'), variables = $('variables'), operation = $('operation'), output = $('output'), status = $('status');
          const example = 'query Fields {\n  __schema {\n    queryType { fields { name description } }\n    mutationType { fields { name description } }\n  }\n}\n';
          query.value = localStorage.getItem('wafer.graphql.query') || example;
          variables.value = localStorage.getItem('wafer.graphql.variables') || '';

          async function run() {
            let vars = null;
            try { vars = variables.value.trim() ? JSON.parse(variables.value) : null; }
            catch (e) { status.textContent = 'Variables'; output.textContent = 'Variables are not valid JSON: ' + e.message; return; }
            localStorage.setItem('wafer.graphql.query', query.value);
            localStorage.setItem('wafer.graphql.variables', variables.value);
            status.textContent = 'Running…';
            const started = performance.now();
            try {
              const response = await fetch(endpoint, {
                method: 'POST',
                headers: { 'Content-Type': 'application/json', 'Accept': 'application/graphql-response+json, application/json' },
                body: JSON.stringify({ query: query.value, variables: vars, operationName: operation.value.trim() || null }),
              });
              const text = await response.text();
              status.textContent = 'Result: HTTP ' + response.status + ' in ' + Math.round(performance.now() - started) + ' ms';
              try { output.textContent = JSON.stringify(JSON.parse(text), null, 2); } catch { output.textContent = text; }
            } catch (e) {
              status.textContent = 'Result';
              output.textContent = 'Request failed: ' + e.message;
            }
          }

          async function schema() {
            status.textContent = 'Schema (SDL)';
            try { output.textContent = await (await fetch(endpoint + '/schema')).text(); }
            catch (e) { output.textContent = 'Request failed: ' + e.message; }
          }

          $('run').onclick = run;
          $('schema').onclick = schema;
          for (const area of [query, variables]) {
            area.addEventListener('keydown', e => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run(); }
              else if (e.key === 'Tab') { e.preventDefault(); area.setRangeText('  ', area.selectionStart, area.selectionEnd, 'end'); }
            });
          }
        </script>
        </body>
        </html>
        """;
}
