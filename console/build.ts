// Builds the console (console/src) into a folder of static files: index.html, app.js, app.css.
// Run by the CDK app at synth (infra/constructs/console-site.ts), so `npm start` and `cdk deploy`
// always serve what the sources say; there is no separate build step.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const SOURCE = join(dirname(fileURLToPath(import.meta.url)), 'src');

export interface ConsoleBuild {
  outDir: string;
  /** Bytes of each file as written (before compression). */
  files: Record<string, number>;
}

const INDEX_HTML = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>联动 · 组织者工作台 Liandong console</title>
<link rel="stylesheet" href="app.css">
<script type="module" src="app.js"></script>
</head>
<body>
<div id="app"><main id="main"><h1>联动 · 组织者工作台</h1><p aria-busy="true">正在加载… Loading…</p><noscript>此工作台需要启用 JavaScript。 The console needs JavaScript.</noscript></main></div>
</body>
</html>
`;

/** Builds into `outDir` (emptied first); minified, no source maps (they would double the bytes). */
export function buildConsole(outDir: string): ConsoleBuild {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  buildSync({
    entryPoints: { app: join(SOURCE, 'main.tsx') },
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['chrome109', 'firefox115', 'safari15'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir: outDir,
    legalComments: 'none',
    logLevel: 'error',
  });
  writeFileSync(join(outDir, 'app.css'), readFileSync(join(SOURCE, 'app.css'), 'utf8'));
  writeFileSync(join(outDir, 'index.html'), INDEX_HTML);
  const files: Record<string, number> = {};
  for (const name of ['index.html', 'app.js', 'app.css']) {
    files[name] = readFileSync(join(outDir, name)).length;
  }
  return { outDir, files };
}
