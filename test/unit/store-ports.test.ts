/**
 * The store is behind ports (lib/platform/store.ts): use cases speak the domain's words to it, and only
 * the DynamoDB adapters in lib/storage (wired by the composition roots lib/runtime and lib/local) know
 * items, keys, transaction items and how much one transaction holds. A voucher changes only through the
 * one change operation (lib/platform/change.ts), which asks the voucher's lifecycle.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return sources(relative);
    return /\.tsx?$/.test(entry.name) ? [relative] : [];
  });
}

/** The adapters and the composition roots: everything else under lib/ is a use case or a port. */
const ADAPTERS = ['lib/storage/', 'lib/local/', 'lib/runtime/'];
const useCases = [...sources('lib'), ...sources('functions')].filter(
  (file) => !ADAPTERS.some((adapter) => file.startsWith(adapter)),
);

function importsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)].map(([, target = '']) =>
    target.startsWith('.') ? path.posix.normalize(path.posix.join(path.posix.dirname(file), target)) : target,
  );
}

const text = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

describe('the store behind its ports', () => {
  it('finds the use cases it checks', () => {
    expect(useCases).toEqual(expect.arrayContaining(['lib/payments/payments.ts', 'lib/platform/change.ts']));
  });

  it('lets no use case import the DynamoDB SDK', () => {
    const offenders = useCases.filter((file) =>
      importsOf(file).some((target) => /^@aws-sdk\/(lib-dynamodb|client-dynamodb)/.test(target)),
    );

    expect(offenders).toEqual([]);
  });

  it('lets no use case import a storage adapter (the workflow catalogue may name the outbox’s partition)', () => {
    const offenders = useCases.flatMap((file) =>
      importsOf(file)
        .filter((target) => target.startsWith('lib/storage/'))
        .filter((target) => !(file.startsWith('lib/workflow/') && target === 'lib/storage/keys.ts'))
        .map((target) => `${file} → ${target}`),
    );

    expect(offenders).toEqual([]);
  });

  it('lets no use case build a transaction item or know how many one transaction holds', () => {
    const offenders = useCases.filter((file) =>
      /TransactItem|TransactWriteItems?\b(?!`)|MAX_TRANSACTION_ITEMS|MAX_VOUCHERS_PER_TRANSACTION|ConditionExpression/.test(
        text(file).replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''),
      ),
    );

    expect(offenders).toEqual([]);
  });

  it('writes a voucher’s change only through the one change operation', () => {
    const offenders = useCases.filter(
      (file) => file !== 'lib/platform/change.ts' && /\.vouchers\.save(All)?\(/.test(text(file)),
    );

    expect(offenders).toEqual([]);
  });
});
