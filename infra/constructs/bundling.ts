/**
 * How every function is bundled: esbuild, one ESM bundle per handler module, minified, with source
 * maps — and split: what a module loads with `await import()` (exceljs for a workbook, mailauth for a
 * consent email) becomes a chunk of its own beside `index.mjs`, read only when that code runs, so a
 * function's cold start parses just what every invocation needs. (NodejsFunction cannot split: it
 * bundles to one file.) `npm run bench` bundles each function with this very function and measures
 * what each of these choices buys.
 */
import path from 'node:path';
import { type BuildOptions, buildSync, type Metafile } from 'esbuild';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..', '..');

/** The esbuild options of every function; `entry` and `outdir` make one function's bundle. */
export const HOUSE_BUNDLING = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  minify: true,
  sourcemap: true,
  // Stack traces need the mappings, not a copy of every source file.
  sourcesContent: false,
  mainFields: ['module', 'main'],
  // The root tsconfig: JSX for preact (react-jsx), and package.json `imports` (#lib/*).
  tsconfig: path.join(PROJECT_ROOT, 'tsconfig.json'),
  // Bundle the AWS SDK too: the versions in package-lock.json, the ones the tests ran, rather than
  // whatever the runtime ships (it lags, and lacks packages such as lib-dynamodb).
  external: [],
  // node:http as CommonJS (the file says why).
  alias: { 'node:http': path.join(PROJECT_ROOT, 'infra', 'constructs', 'node-http.cjs') },
  splitting: true,
  entryNames: 'index',
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  // CommonJS dependencies inside an ESM bundle still call require().
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  absWorkingDir: PROJECT_ROOT,
  logLevel: 'warning',
} as const satisfies BuildOptions;

/**
 * Bundles the handler module `entry` (relative to the project root), or the module `source`, into
 * `outdir`: `index.mjs` and its chunks.
 */
export function bundleFunction(entry: string | { source: string }, outdir: string): Metafile {
  const { metafile } = buildSync({
    ...HOUSE_BUNDLING,
    mainFields: [...HOUSE_BUNDLING.mainFields],
    external: [...HOUSE_BUNDLING.external],
    ...(typeof entry === 'string'
      ? { entryPoints: [path.join(PROJECT_ROOT, entry)] }
      : {
          stdin: { contents: entry.source, resolveDir: PROJECT_ROOT, sourcefile: 'index.mjs', loader: 'js' },
        }),
    outdir,
    metafile: true,
  });
  return metafile;
}
