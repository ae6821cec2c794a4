/**
 * Stack traces in the source's terms (`lib/payments/payment-run.ts:181:9`, not `index.mjs:1:48213`),
 * read from the bundle's source map only when a stack is formatted — when an error is logged, or the
 * Lambda runtime reports an invocation's error. `--enable-source-maps` would give the same stacks but
 * parses every source map the function loads at every cold start, errors or not (`npm run bench --
 * cold-start` measured 20–40 ms of each function's init); here that cost is paid by the first error a
 * container formats, once per file. The map is parsed by Node's own `SourceMap` (node:module).
 */
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Each bundle file's source map, parsed on its first frame; `null` when it has none. */
const maps = new Map<string, SourceMap | null>();

function sourceMapOf(file: string): SourceMap | null {
  let map = maps.get(file);
  if (map === undefined) {
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
    } catch {
      map = null;
    }
    maps.set(file, map);
  }
  return map;
}

/** Where a frame ran, in its source, when the file it ran in has a source map. */
function originOf(
  site: NodeJS.CallSite | undefined,
): { fileName: string; lineNumber: number; columnNumber: number; name?: string } | undefined {
  const location = site?.getFileName() ?? site?.getScriptNameOrSourceURL();
  const line = site?.getLineNumber();
  const column = site?.getColumnNumber();
  if (!location || !line || !column || location.startsWith('node:')) return undefined;
  const file = location.startsWith('file:') ? fileURLToPath(location) : location;
  if (!path.isAbsolute(file)) return undefined;
  const origin = sourceMapOf(file)?.findOrigin(line, column);
  if (!origin || !('fileName' in origin)) return undefined;
  return { ...origin, fileName: path.resolve(path.dirname(file), origin.fileName) };
}

/**
 * One frame, as V8 writes it, at its original place. Its function's original name is the name at
 * its caller's call (as Node's own mapping finds it): a minified function has lost its own.
 */
function frameOf(site: NodeJS.CallSite, caller: NodeJS.CallSite | undefined): string {
  const origin = originOf(site);
  if (!origin) return `    at ${site}`;
  const name = originOf(caller)?.name || site.getFunctionName() || '<anonymous>';
  const prefix = site.isAsync() ? 'async ' : site.isConstructor() ? 'new ' : '';
  return `    at ${prefix}${name} (${origin.fileName}:${origin.lineNumber}:${origin.columnNumber})`;
}

/**
 * From now on every stack this process formats is mapped through its bundle's source maps. Called at
 * cold start in a Lambda sandbox (lib/runtime/lambda.ts); the local runtime and the tests run the
 * sources themselves and keep Node's own stacks.
 */
export function mapStackTracesThroughSourceMaps(): void {
  Error.prepareStackTrace = (error: Error, sites: NodeJS.CallSite[]) =>
    [Error.prototype.toString.call(error), ...sites.map((site, i) => frameOf(site, sites[i + 1]))].join('\n');
}
