/**
 * A function's logged stacks name the source files and lines although its bundle is minified and
 * Node does not read source maps at cold start: the bundle, built as CDK builds it, throws in a
 * process of its own, and its stack is read as an operator reads it in CloudWatch.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFunction, PROJECT_ROOT } from '../../infra/constructs/bundling.ts';

const SOURCE = `
import { mapStackTracesThroughSourceMaps } from '#lib/observability/stack-traces.ts';
import { refuse } from './test/support/throwing-module.ts';
if (process.env.MAPPED === 'yes') mapStackTracesThroughSourceMaps();
try { refuse(); } catch (error) { process.stdout.write(error.stack); }
`;

let dir: string;
let bundle: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'fundflow-stack-traces-'));
  bundleFunction({ source: SOURCE }, dir);
  bundle = path.join(dir, 'index.mjs');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function stackOf(mapped: boolean): string[] {
  const result = spawnSync(process.execPath, [bundle], {
    env: { PATH: process.env.PATH ?? '', MAPPED: mapped ? 'yes' : 'no' },
    encoding: 'utf8',
  });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.split('\n');
}

describe('stack traces of a bundled function', () => {
  it('name the source file, line and function where the error was thrown', () => {
    const [message, top] = stackOf(true);
    expect(message).toBe('Error: refused here');
    expect(top).toBe(`    at refuse (${path.join(PROJECT_ROOT, 'test/support/throwing-module.ts')}:3:9)`);
  });

  it('point into the minified bundle without the mapping (what Node alone would log)', () => {
    const [message, top] = stackOf(false);
    expect(message).toBe('Error: refused here');
    expect(top).toContain(`${bundle}:`);
  });

  it('keep the bundle positions when the source map is missing, rather than failing', () => {
    rmSync(`${bundle}.map`);
    const [message, top] = stackOf(true);
    expect(message).toBe('Error: refused here');
    expect(top).toContain(`${bundle}:`);
  });
});
