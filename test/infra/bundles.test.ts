/**
 * Every function as Lambda runs it: bundled the way the stack bundles it (infra/constructs/bundling.ts),
 * then imported in a process of its own with the environment the synthesized template gives it, as a
 * Lambda sandbox's init does — so a need without its configuration, or an adapter without its need,
 * fails here and not at a cold start in AWS. Heavy libraries stay out of the cold start: they load
 * with the code that uses them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFunction } from '../../infra/constructs/bundling.ts';
import { routes } from '../../lib/http/routes.ts';
import { allFunctions, type DeployedFunction, environmentOf, type Synthesized, synthesize } from './synth.ts';

let synthesized: Synthesized;
let deployed: DeployedFunction[];
const dir = mkdtempSync(path.join(tmpdir(), 'fundflow-bundles-'));
const bundles = new Map<string, { index: string; metafile: Metafile }>();

beforeAll(() => {
  synthesized = synthesize();
  deployed = allFunctions(synthesized.stack);
  for (const { name, spec } of deployed) {
    const outdir = path.join(dir, name);
    bundles.set(name, {
      index: path.join(outdir, 'index.mjs'),
      metafile: bundleFunction(spec.entry, outdir),
    });
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What a reference to a resource resolves to, in the shape of its key. */
const RESOLVED: Record<string, string> = {
  PUBLIC_BASE_URL: 'https://api.fundflow.example',
  SIGN_IN_ISSUER: 'https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_Sample',
  SIGN_IN_LOGOUT_URL: 'https://fundflow.auth.cn-north-1.amazoncognito.com/logout',
};

/** The template's environment, each reference to a resource replaced by a value of the right shape. */
function sandboxEnvironment(fn: DeployedFunction): Record<string, string> {
  const variables = environmentOf(synthesized, fn.fn);
  return Object.fromEntries(
    Object.entries(variables).map(([key, value]) => [
      key,
      typeof value === 'string' ? value : (RESOLVED[key] ?? `sample-${key}`),
    ]),
  );
}

/** The source files in a bundle's cold start: `index.mjs` and what it imports statically. */
function coldStartInputs(metafile: Metafile): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imported of metafile.outputs[file]?.imports ?? []) {
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
    }
  };
  const index = Object.keys(metafile.outputs).find((file) => file.endsWith('/index.mjs'));
  if (index) visit(index);
  return [...seen].flatMap((file) => Object.keys(metafile.outputs[file]?.inputs ?? {}));
}

describe('every function’s bundle', () => {
  it('starts as in a Lambda sandbox with the environment the stack gives it, its handler ready', () => {
    const failed: string[] = [];
    for (const fn of deployed) {
      const bundle = bundles.get(fn.name);
      const started = spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const { handler } = await import(${JSON.stringify(bundle?.index)}); if (typeof handler !== 'function') throw new Error('no handler');`,
        ],
        {
          env: {
            PATH: process.env.PATH ?? '',
            AWS_REGION: 'cn-north-1',
            AWS_LAMBDA_FUNCTION_NAME: `fundflow-${fn.name}`,
            ...sandboxEnvironment(fn),
          },
          encoding: 'utf8',
        },
      );
      if (started.status !== 0)
        failed.push(
          `${fn.name}: ${started.stderr.split('\n').find((line) => /Error/.test(line)) ?? started.stderr}`,
        );
    }

    expect(failed).toEqual([]);
  });

  it('logs the stack of a failed init in the source’s terms: the files and lines of lib/, not of the minified bundle', () => {
    const fn = deployed.find((candidate) => candidate.name === 'http.suppliersApi');
    const bundle = fn && bundles.get(fn.name);
    if (!fn || !bundle) throw new Error('no http.suppliersApi function');
    const { TABLE_NAME: _left, ...environment } = sandboxEnvironment(fn);
    const started = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', `await import(${JSON.stringify(bundle.index)});`],
      {
        env: {
          PATH: process.env.PATH ?? '',
          AWS_REGION: 'cn-north-1',
          AWS_LAMBDA_FUNCTION_NAME: 'fundflow-suppliers',
          ...environment,
        },
        encoding: 'utf8',
      },
    );

    expect(started.status).not.toBe(0);
    expect(started.stderr).toContain('TABLE_NAME');
    expect(started.stderr).toMatch(/\(\/.*\/lib\/runtime\/config\.ts:\d+:\d+\)/);
    expect(started.stderr).toMatch(/\(\/.*\/lib\/runtime\/lambda\.ts:\d+:\d+\)/);
  });

  it('keeps the workbook, DKIM, SMTP, file-typing and MIME libraries, the holiday data and the S3 and SES clients out of its cold start: they load with the code that uses them', () => {
    const heavy =
      /node_modules\/(exceljs|mailauth|libmime|jszip|nodemailer|file-type|strtok3|postal-mime|chinese-days|@aws-sdk\/client-s3|@aws-sdk\/client-sesv2)\//;
    const users: string[] = [];
    for (const fn of deployed) {
      const { metafile } = bundles.get(fn.name) ?? { metafile: { inputs: {}, outputs: {} } };
      expect(
        coldStartInputs(metafile).filter((input) => heavy.test(input)),
        fn.name,
      ).toEqual([]);
      if (Object.keys(metafile.inputs).some((input) => heavy.test(input))) users.push(fn.name);
    }

    // The bank batch file (XLSX), the consent email's DKIM check and the daily export's workbook are
    // there, behind `await import()`.
    expect(users).toEqual(
      expect.arrayContaining([
        'http.paymentsApi',
        'http.paymentsPages',
        'http.approvalsApi',
        'job.dailyExport',
      ]),
    );
  });

  it('keeps the pages out of every JSON API function: no lib/ui and no preact in its cold start (the page function of its capability is a module of its own)', () => {
    // A JSON API function serves only /api/ routes; a page function serves at least one page.
    const pageFunctions = new Set(
      routes.filter((route) => !route.path.startsWith('/api/')).map((route) => `http.${route.function}`),
    );
    const jsonApis = deployed.filter((fn) => fn.name.startsWith('http.') && !pageFunctions.has(fn.name));
    const pageKit = /(^|\/)lib\/ui\/|node_modules\/(preact|preact-render-to-string)\//;

    for (const fn of jsonApis) {
      const { metafile } = bundles.get(fn.name) ?? { metafile: { inputs: {}, outputs: {} } };
      expect(
        coldStartInputs(metafile).filter((input) => pageKit.test(input)),
        fn.name,
      ).toEqual([]);
    }
    expect(jsonApis.map((fn) => fn.name)).toEqual(
      expect.arrayContaining(['http.vouchersApi', 'http.paymentsApi', 'http.adminApi', 'http.settingsApi']),
    );
  });
});
