// Where Monaco (GraphiQL's editor) finds its web workers: bundles of this build, served by this server (build.mjs
// puts their hashed names in WAFER_CONSOLE_WORKERS). Must run before GraphiQL is imported.
declare const WAFER_CONSOLE_WORKERS: Record<string, string>;

(globalThis as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = {
  getWorker(_id: string, label: string) {
    const name = label === 'json' ? 'json.worker' : label === 'graphql' ? 'graphql.worker' : 'editor.worker';
    return new Worker(WAFER_CONSOLE_WORKERS[name]);
  },
};
