/**
 * The dependency rule (README, *How it works*), read from the code's own imports — type-only imports
 * included, since a type names a dependency as much as a value does:
 *
 * - no cycle between the folders of lib/ (A imports B and B imports A, directly or through others);
 * - lib/domain imports only lib/domain; lib/ui only lib/domain and itself;
 * - only lib/local, the local runtime's composition root, imports functions/ or infra/;
 * - the files at lib/'s root (app.ts, config.ts, ids.ts, working-days.ts: the kernel every folder
 *   uses) depend at run time on nothing but lib/domain and lib/observability — other folders' ports
 *   they name as types only — so no cycle hides behind them;
 * - the web edge routes by the catalogue: no code outside the router and the local gateway reads an
 *   event's `routeKey`, and no code dispatches on an error's code or name string.
 * Packages (npm, node:) are not this test's business.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

interface Import {
  /** The imported file, relative to the project root (`lib/domain/money.ts`). */
  target: string;
  typeOnly: boolean;
}

interface SourceFile {
  /** Relative to the project root, with `/`. */
  file: string;
  text: string;
  imports: Import[];
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return walk(full);
    return /\.tsx?$/.test(name) ? [full] : [];
  });
}

const relative = (file: string) => path.relative(ROOT, file).split(path.sep).join('/');

/** A specifier as the file it names (`#lib/x.ts`, `../x.ts`), or null for a package. */
function resolve(from: string, specifier: string): string | null {
  if (specifier.startsWith('#lib/')) return `lib/${specifier.slice('#lib/'.length)}`;
  if (specifier.startsWith('#functions/')) return `functions/${specifier.slice('#functions/'.length)}`;
  if (specifier.startsWith('#infra/')) return `infra/${specifier.slice('#infra/'.length)}`;
  if (!specifier.startsWith('.')) return null;
  return relative(path.resolve(ROOT, path.dirname(from), specifier));
}

function importsOf(file: string, text: string): Import[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TSX);
  const found: Import[] = [];
  const add = (specifier: string, typeOnly: boolean) => {
    const target = resolve(file, specifier);
    if (target) found.push({ target, typeOnly });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const bindings = clause?.namedBindings;
      const everyNameIsType =
        clause !== undefined &&
        clause.name === undefined &&
        bindings !== undefined &&
        ts.isNamedImports(bindings) &&
        bindings.elements.length > 0 &&
        bindings.elements.every((element) => element.isTypeOnly);
      add(node.moduleSpecifier.text, clause?.isTypeOnly === true || everyNameIsType);
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      add(node.moduleSpecifier.text, node.isTypeOnly);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      add(node.arguments[0].text, false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const literal = node.argument.literal;
      if (ts.isStringLiteral(literal)) add(literal.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const files: SourceFile[] = ['lib', 'functions', 'infra'].flatMap((top) =>
  walk(path.join(ROOT, top)).map((full) => {
    const file = relative(full);
    const text = readFileSync(full, 'utf8');
    return { file, text, imports: importsOf(file, text) };
  }),
);

/** `lib/vouchers/web.ts` → `lib/vouchers`; a file at lib/'s root is no folder (null). */
function folderOf(file: string): string | null {
  const parts = file.split('/');
  if (parts[0] !== 'lib') return parts[0] ?? null;
  return parts.length > 2 ? `lib/${parts[1]}` : null;
}

const libFiles = files.filter((source) => source.file.startsWith('lib/'));

/** Folder → the folders its files import (itself and lib/'s root files left out). */
function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const source of libFiles) {
    const from = folderOf(source.file);
    if (from === null) continue;
    for (const { target } of source.imports) {
      const to = folderOf(target);
      if (to === null || to === from || !to.startsWith('lib/')) continue;
      const edges = graph.get(from) ?? new Map<string, string>();
      if (!edges.has(to)) edges.set(to, `${source.file} → ${target}`);
      graph.set(from, edges);
    }
  }
  return graph;
}

/** Every cycle found by a depth-first walk, each as the folders it passes and one import per step. */
function cycles(graph: Map<string, Map<string, string>>): string[] {
  const found: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (folder: string) => {
    state.set(folder, 'open');
    stack.push(folder);
    for (const next of graph.get(folder)?.keys() ?? []) {
      if (state.get(next) === 'open') {
        const loop = [...stack.slice(stack.indexOf(next)), next];
        const because = loop.slice(0, -1).map((step, index) => graph.get(step)?.get(loop[index + 1] ?? ''));
        found.push(`${loop.join(' → ')} (${because.join('; ')})`);
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(folder, 'done');
  };
  for (const folder of [...graph.keys()].sort()) if (!state.has(folder)) visit(folder);
  return found;
}

const importsOutside = (folder: string, allowed: readonly string[]) =>
  libFiles
    .filter((source) => source.file.startsWith(`${folder}/`))
    .flatMap((source) =>
      source.imports
        .filter(({ target }) => !allowed.some((prefix) => target.startsWith(`${prefix}/`)))
        .map(({ target }) => `${source.file} → ${target}`),
    );

describe('the folders of lib/', () => {
  it('are read: every lib folder and its imports are seen', () => {
    const graph = folderGraph();

    expect(graph.get('lib/vouchers')?.has('lib/uploads')).toBe(true);
    expect(graph.get('lib/payments')?.has('lib/approvals')).toBe(true);
    expect(graph.size).toBeGreaterThan(12);
  });

  it('form no cycle', () => {
    expect(cycles(folderGraph())).toEqual([]);
  });

  it('keep lib/domain to itself', () => {
    expect(importsOutside('lib/domain', ['lib/domain'])).toEqual([]);
  });

  it('let the UI kit use the domain and nothing else', () => {
    expect(importsOutside('lib/ui', ['lib/ui', 'lib/domain'])).toEqual([]);
  });

  it('let only lib/local, the composition root, import functions/ or infra/', () => {
    const crossings = files.flatMap((source) =>
      source.imports
        .filter(({ target }) => {
          const top = target.split('/')[0];
          const own = source.file.split('/')[0];
          return (top === 'functions' || top === 'infra') && top !== own;
        })
        .filter(() => !source.file.startsWith('lib/local/'))
        .map(({ target }) => `${source.file} → ${target}`),
    );

    expect(crossings).toEqual([]);
    // The rule is not empty: the composition root does import infra/ (the synthesized app).
    expect(
      files.some(
        (source) =>
          source.file.startsWith('lib/local/') &&
          source.imports.some(({ target }) => target.startsWith('infra/')),
      ),
    ).toBe(true);
  });

  it('keep lib/’s root files free of run-time dependencies on other folders', () => {
    const kernel = libFiles.filter((source) => folderOf(source.file) === null);
    const runtimeImports = kernel.flatMap((source) =>
      source.imports
        .filter(({ typeOnly, target }) => {
          const to = folderOf(target);
          return !typeOnly && to !== null && to !== 'lib/domain' && to !== 'lib/observability';
        })
        .map(({ target }) => `${source.file} → ${target}`),
    );

    expect(kernel.map((source) => source.file)).toContain('lib/app.ts');
    expect(runtimeImports).toEqual([]);
  });
});

describe('the web edge', () => {
  it('routes by the catalogue: only the router and the local gateway read an event’s routeKey', () => {
    const readers = files
      .filter((source) => /\brouteKey\b/.test(source.text))
      .map((source) => source.file)
      .filter(
        (file) => !['lib/http/router.ts', 'lib/http/routes.ts', 'lib/local/api-gateway.ts'].includes(file),
      )
      // The CDK route and the access log name the route key; they are not a handler.
      .filter((file) => !file.startsWith('infra/'));

    expect(readers).toEqual([]);
  });

  it('never dispatches on an error’s code or name string', () => {
    const dispatches = files.flatMap((source) =>
      [...source.text.matchAll(/\b(?:error|err|e|cause)\.(?:code|name)\s*[!=]==?\s*['"`]/g)].map(
        (match) => `${source.file}: ${match[0]}`,
      ),
    );

    expect(dispatches).toEqual([]);
  });
});
