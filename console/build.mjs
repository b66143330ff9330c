// Builds the web console into one folder (default dist/): hashed bundles, the editor's web workers, index.html that
// names them, and .br/.gz copies of what compresses well. Wafer.Hosting embeds the folder (src/Wafer.Hosting/Console.targets).
// Nothing is loaded from another origin at run time: every script, style, font and worker is in the folder.
import * as esbuild from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const out = process.argv[2] ?? 'dist';
const base = '/console/';
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const common = {
  bundle: true,
  minify: true,
  legalComments: 'none',
  target: ['es2022'],
  outdir: out,
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  chunkNames: 'chunk-[hash]',
  publicPath: base,
  metafile: true,
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
};

// Monaco (GraphiQL's editor) runs its language services in workers, each a bundle of its own.
const workers = await esbuild.build({
  ...common,
  format: 'iife',
  entryPoints: {
    'editor.worker': 'node_modules/monaco-editor/esm/vs/editor/editor.worker.js',
    'json.worker': 'node_modules/monaco-editor/esm/vs/language/json/json.worker.js',
    'graphql.worker': 'node_modules/monaco-graphql/esm/graphql.worker.js',
  },
});
const workerUrls = {};
for (const [file, output] of Object.entries(workers.metafile.outputs)) {
  if (output.entryPoint) workerUrls[basename(file).replace(/-[A-Z0-9]{8}\.js$/, '')] = base + basename(file);
}

const app = await esbuild.build({
  ...common,
  format: 'esm',
  splitting: true,
  jsx: 'automatic',
  entryPoints: { main: 'src/main.tsx' },
  loader: { '.ttf': 'file', '.woff2': 'file', '.svg': 'file' },
  define: { ...common.define, WAFER_CONSOLE_WORKERS: JSON.stringify(workerUrls) },
});
const outputs = Object.entries(app.metafile.outputs);
const main = outputs.find(([, o]) => o.entryPoint === 'src/main.tsx');
if (!main) throw new Error('esbuild wrote no main bundle');
// The entry's CSS bundle holds every chunk's styles (the lazily loaded explorer's too); the per-chunk copies go unused.
const styles = main[1].cssBundle ? [base + basename(main[1].cssBundle)] : [];
for (const [file] of outputs) if (file.endsWith('.css') && !styles.includes(base + basename(file))) rmSync(file);

writeFileSync(join(out, 'index.html'), `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Wafer console</title>
<link rel="icon" href="data:,">
${styles.map(s => `<link rel="stylesheet" href="${s}">`).join('\n')}
<script type="module" src="${base + basename(main[0])}"></script>
</head>
<body><div id="root"></div></body>
</html>
`);

let total = 0, compressed = 0;
for (const name of readdirSync(out)) {
  const file = join(out, name);
  const body = readFileSync(file);
  total += body.length;
  if (!/\.(js|css|html|svg|json|ttf)$/.test(name) || body.length < 1024) { compressed += body.length; continue; }
  const br = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } });
  const gz = gzipSync(body, { level: 9 });
  if (br.length < body.length * 0.9) writeFileSync(file + '.br', br);
  if (gz.length < body.length * 0.9) writeFileSync(file + '.gz', gz);
  compressed += Math.min(br.length, body.length);
}
const kb = n => (n / 1024).toFixed(0) + ' KiB';
console.log(`console: ${readdirSync(out).filter(n => !/\.(br|gz)$/.test(n)).length} files, ${kb(total)} (${kb(compressed)} with brotli) in ${out}`);
for (const name of readdirSync(out).filter(n => /\.(js|css)$/.test(n))) {
  console.log(`  ${name} ${kb(statSync(join(out, name)).size)}`);
}
