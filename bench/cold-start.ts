/**
 * Cold start, function by function (`npm run bench`, or `npm run bench -- cold-start` alone): every
 * function of the catalogues — routes, each state machine's tasks, scheduled jobs, stream consumers —
 * bundled by the very function CDK bundles it with (infra/constructs/bundling.ts) into a temporary
 * folder; the size of what its cold start reads (`index.mjs` and the chunks it imports statically;
 * the chunks behind `await import()` are counted apart); and the time — wall clock, and CPU, the
 * steadier figure on a busy machine — a whole `node -e "await import(bundle)"` process takes, with
 * the environment its needs give it in AWS (so it parses its configuration and builds its adapters,
 * as a Lambda init does), as a ratio to a minimal DynamoDB GetItem function bundled the same way in
 * the same run. Runs are interleaved (every function once per round, in a new order each
 * round) and the median is kept, so a busy machine slows all alike. Figures, not assertions: it
 * prints which functions meet their target (JSON functions ≤ 1.3×, page functions ≤ 1.6×).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Metafile } from 'esbuild';
import { bundleFunction } from '../infra/constructs/bundling.ts';
import { HOUSE_ENVIRONMENT } from '../infra/constructs/fundflow-function.ts';
import { type FunctionSpec, functions, routes } from '../lib/http/routes.ts';
import { type ConfigKey, configKeysFor } from '../lib/runtime/config.ts';
import { scheduledJobs, stateMachines, streamConsumers } from '../lib/workflow/catalogue.ts';

const RUNS = 11;
const TARGET = { json: 1.3, page: 1.6 } as const;

/** The reference: the least a function that reads DynamoDB can be. */
const BASELINE = `import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
const client = new DynamoDBClient({});
export const handler = async (event) =>
  (await client.send(new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: { pk: { S: event.pk }, sk: { S: event.sk } } }))).Item ?? null;
`;

/** A value of the right shape for every key a function's needs require (nothing is called at init). */
const SAMPLE_CONFIG: Record<string, string> = {
  TABLE_NAME: 'fundflow-bench',
  EVIDENCE_BUCKET: 'fundflow-bench-evidence',
  MAIL_FROM: 'fundflow@lianshang.example',
  PUBLIC_BASE_URL: 'https://fundflow.example',
  LINK_KEY_SECRET_ARN: 'arn:aws:secretsmanager:cn-north-1:000000000000:secret:LinkKey',
  SIGN_IN_ISSUER: 'https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_bench',
  SIGN_IN_CLIENT_ID: 'benchclient',
  SIGN_IN_KEY_SECRET_ARN: 'arn:aws:secretsmanager:cn-north-1:000000000000:secret:SignInCookieKey',
  SIGN_IN_LOGOUT_URL: 'https://fundflow-bench.auth.cn-north-1.amazoncognito.com/logout',
  MAIL_TRANSPORT: 'ses',
  SMTP_SECRET_ARN: 'arn:aws:secretsmanager:cn-north-1:000000000000:secret:SmtpCredentials',
};
const sampleOf = (key: ConfigKey) =>
  SAMPLE_CONFIG[key] ?? `arn:aws:states:cn-north-1:000000000000:stateMachine:Fundflow-${key}`;

interface Measured {
  name: string;
  kind: 'json' | 'page';
  needs: FunctionSpec['needs'];
  bundle: string;
  /** What its cold start reads: `index.mjs` and the chunks it imports statically. */
  bytes: number;
  /** The chunks behind `await import()`, read when that code runs. */
  lazyBytes: number;
  times: number[];
  cpu: number[];
}

/** Every function of the app, as `<catalogue>.<name>`, with its spec. */
function everyFunction(): { name: string; kind: 'json' | 'page'; spec: FunctionSpec }[] {
  // A page function serves HTML: any route outside /api/ (and the health check).
  const pages = new Set(
    routes
      .filter((route) => !route.path.startsWith('/api/') && route.path !== '/health')
      .map((route) => route.function),
  );
  return [
    ...Object.entries(functions).map(([name, spec]) => ({
      name: `http.${name}`,
      kind: pages.has(name as never) ? ('page' as const) : ('json' as const),
      spec,
    })),
    ...Object.entries(stateMachines).flatMap(([machine, workflow]) =>
      Object.entries(workflow.tasks).map(([name, spec]) => ({
        name: `workflow.${machine}.${name}`,
        kind: 'json' as const,
        spec,
      })),
    ),
    ...Object.entries(scheduledJobs).map(([name, spec]) => ({
      name: `job.${name}`,
      kind: 'json' as const,
      spec,
    })),
    ...Object.entries(streamConsumers).map(([name, spec]) => ({
      name: `stream.${name}`,
      kind: 'json' as const,
      spec,
    })),
  ];
}

/**
 * One whole process importing the bundle: its wall-clock time, and the CPU time it used (user and
 * system, all threads) — the steadier figure on a machine others are busy on.
 */
function importTime(bundle: string, env: Record<string, string>): { wall: number; cpu: number } {
  const started = process.hrtime.bigint();
  const result = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `await import(${JSON.stringify(bundle)}); const { user, system } = process.cpuUsage(); process.stdout.write(String((user + system) / 1000));`,
    ],
    { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' },
  );
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`importing ${bundle} failed: ${result.stderr}`);
  return { wall, cpu: Number(result.stdout) };
}

function environmentOf(name: string, needs: FunctionSpec['needs']): Record<string, string> {
  return {
    ...HOUSE_ENVIRONMENT,
    // What Lambda sets: the function's cold start builds everything as in AWS.
    AWS_LAMBDA_FUNCTION_NAME: `bench-${name}`,
    AWS_REGION: 'cn-north-1',
    ...Object.fromEntries(configKeysFor(needs).map((key) => [key, sampleOf(key)])),
  };
}

/** The bytes a bundle's cold start reads, and the bytes it reads only on demand. */
function sizes(metafile: Metafile): { bytes: number; lazyBytes: number } {
  const outputs = Object.entries(metafile.outputs).filter(([file]) => file.endsWith('.mjs'));
  const index = outputs.find(([file]) => file.endsWith('/index.mjs'))?.[0];
  const initial = new Set<string>();
  const visit = (file: string) => {
    if (initial.has(file)) return;
    initial.add(file);
    for (const imported of metafile.outputs[file]?.imports ?? []) {
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
    }
  };
  if (index) visit(index);
  const total = (files: [string, Metafile['outputs'][string]][]) =>
    files.reduce((sum, [, output]) => sum + output.bytes, 0);
  return {
    bytes: total(outputs.filter(([file]) => initial.has(file))),
    lazyBytes: total(outputs.filter(([file]) => !initial.has(file))),
  };
}

/** A small deterministic generator (mulberry32): the same orders every run. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

export async function coldStart(): Promise<void> {
  console.log(
    `— cold start: bundle size and import time per function (whole process, median of ${RUNS}), as a ratio to a minimal DynamoDB GetItem function —`,
  );
  const dir = mkdtempSync(path.join(tmpdir(), 'fundflow-bench-bundles-'));
  try {
    const baseline: Measured = {
      name: 'baseline: DynamoDB GetItem',
      kind: 'json',
      needs: { table: 'read' },
      bundle: path.join(dir, 'baseline', 'index.mjs'),
      bytes: 0,
      lazyBytes: 0,
      times: [],
      cpu: [],
    };
    Object.assign(baseline, sizes(bundleFunction({ source: BASELINE }, path.dirname(baseline.bundle))));
    const measured: Measured[] = [];
    for (const { name, kind, spec } of everyFunction()) {
      const bundle = path.join(dir, name, 'index.mjs');
      const { bytes, lazyBytes } = sizes(bundleFunction(spec.entry, path.dirname(bundle)));
      measured.push({ name, kind, needs: spec.needs, bundle, bytes, lazyBytes, times: [], cpu: [] });
    }
    const random = seededRandom(RUNS);
    for (let round = 0; round < RUNS; round++) {
      // A new order each round: no function always runs first, or right after the same other.
      for (const fn of shuffled([baseline, ...measured], random)) {
        const { wall, cpu } = importTime(fn.bundle, environmentOf(fn.name, fn.needs));
        fn.times.push(wall);
        fn.cpu.push(cpu);
      }
    }
    const reference = median(baseline.times);
    const cpuReference = median(baseline.cpu);
    const ratioOf = (fn: Measured) => median(fn.times) / reference;
    const row = (fn: Measured, target?: number) => {
      const verdict =
        target === undefined ? '' : `≤ ${target.toFixed(1)}×  ${ratioOf(fn) <= target ? 'meets' : 'MISSES'}`;
      const wall = `${median(fn.times).toFixed(0).padStart(5)} ms ${ratioOf(fn).toFixed(2).padStart(5)}×`;
      const cpu = `${median(fn.cpu).toFixed(0).padStart(5)} ms ${(median(fn.cpu) / cpuReference).toFixed(2).padStart(5)}×`;
      const lazy = fn.lazyBytes > 0 ? `+${(fn.lazyBytes / 1024).toFixed(0)}` : '';
      return `${fn.name.padEnd(40)} ${fn.kind.padEnd(4)} ${(fn.bytes / 1024).toFixed(0).padStart(5)} KiB ${lazy.padStart(6)}  ${wall}  ${cpu}  ${verdict}`;
    };
    console.log(
      `${'function'.padEnd(40)} ${'kind'.padEnd(4)} ${'bundle (+on demand)'.padStart(16)}  ${'import (wall)'.padStart(15)}  ${'(cpu)'.padStart(15)}  target (wall)`,
    );
    console.log(row(baseline));
    for (const fn of measured) console.log(row(fn, TARGET[fn.kind]));
    const meeting = measured.filter((fn) => ratioOf(fn) <= TARGET[fn.kind]).length;
    console.log(
      `${meeting} of ${measured.length} functions meet their target (JSON ≤ ${TARGET.json}×, pages ≤ ${TARGET.page}×).`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
