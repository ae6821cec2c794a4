/**
 * Configuration at cold start (lib/runtime/config.ts): a function's needs decide which keys it requires; a
 * missing or empty key is named, never defaulted.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, configKeysFor, loadConfig } from '../../lib/runtime/config.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

describe('the keys a function requires', () => {
  it('are the ones its needs name, and only those', () => {
    expect(configKeysFor({})).toEqual([]);
    expect(configKeysFor({ table: 'read' })).toEqual(['TABLE_NAME']);
    expect(configKeysFor({ table: 'readWrite', evidence: 'read' }).sort()).toEqual([
      'EVIDENCE_BUCKET',
      'TABLE_NAME',
    ]);
    expect(configKeysFor({ mail: true, linkKey: true }).sort()).toEqual([
      'LINK_KEY_SECRET_ARN',
      'MAIL_FROM',
      'PUBLIC_BASE_URL',
    ]);
    expect(configKeysFor({ sessions: true }).sort()).toEqual([
      'COGNITO_CLIENT_ID',
      'COGNITO_USER_POOL_ID',
      'PUBLIC_BASE_URL',
    ]);
  });

  it('include one ARN per state machine the needs name, by its name', () => {
    expect(configKeysFor({ workflows: { voucher: 'answer' } })).toEqual(['STATE_MACHINE_ARN_VOUCHER']);
    expect(configKeysFor({ workflows: { invoiceBatch: 'start' } })).toEqual([
      'STATE_MACHINE_ARN_INVOICE_BATCH',
    ]);
  });
});

describe('loading the configuration', () => {
  it('gives a function the keys it needs and nothing else of the environment', () => {
    const config = loadConfig(
      { table: 'read', workflows: { voucher: 'answer' } },
      {
        TABLE_NAME: 'fundflow',
        STATE_MACHINE_ARN_VOUCHER: 'arn:aws:states:::stateMachine:V',
        MAIL_FROM: 'x@y.z',
      },
    );

    expect(config).toEqual({
      TABLE_NAME: 'fundflow',
      STATE_MACHINE_ARN_VOUCHER: 'arn:aws:states:::stateMachine:V',
    });
  });

  it('fails naming every key the needs require that is missing', () => {
    const load = () => loadConfig({ table: 'read', linkKey: true }, { TABLE_NAME: 'fundflow' });

    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/LINK_KEY_SECRET_ARN is not set/);
    expect(load).toThrow(/PUBLIC_BASE_URL is not set/);
  });

  it('refuses an empty link key secret, rather than signing links with nothing', () => {
    expect(() =>
      loadConfig({ linkKey: true }, { LINK_KEY_SECRET_ARN: '', PUBLIC_BASE_URL: 'https://fundflow.example' }),
    ).toThrow(/LINK_KEY_SECRET_ARN is not valid/);
  });

  it('refuses a malformed value, naming its key', () => {
    expect(() => loadConfig({ mail: true }, { MAIL_FROM: 'fundflow', PUBLIC_BASE_URL: 'not a url' })).toThrow(
      /MAIL_FROM is not valid.*PUBLIC_BASE_URL is not valid/,
    );
  });
});

/** Imports a function's entry module as Lambda does (its sandbox's environment), in a process of its own. */
function coldStart(entry: string, env: Record<string, string>) {
  return spawnSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', `await import('./${entry}');`],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        AWS_REGION: 'cn-north-1',
        AWS_LAMBDA_FUNCTION_NAME: 'fundflow-test',
        ...env,
      },
      encoding: 'utf8',
    },
  );
}

describe('a Lambda cold start', () => {
  const requestApproval = 'functions/workflow/request-approval.ts';
  const all = {
    TABLE_NAME: 'fundflow',
    MAIL_FROM: 'fundflow@lianshang.example',
    PUBLIC_BASE_URL: 'https://fundflow.example',
    LINK_KEY_SECRET_ARN: 'arn:aws:secretsmanager:cn-north-1:000000000000:secret:LinkKey',
    STATE_MACHINE_ARN_VOUCHER: 'arn:aws:states:cn-north-1:000000000000:stateMachine:Fundflow-Voucher',
  };

  it('fails at init, naming the key, when a function lacks a key it needs', () => {
    const { LINK_KEY_SECRET_ARN: _missing, ...withoutLinkKey } = all;

    const started = coldStart(requestApproval, withoutLinkKey);

    expect(started.status).not.toBe(0);
    expect(started.stderr).toContain('LINK_KEY_SECRET_ARN is not set');
  });

  it('succeeds with the keys its needs require, calling nothing (the secret is read on the first invocation)', () => {
    const started = coldStart(requestApproval, all);

    expect(started.stderr).toBe('');
    expect(started.status).toBe(0);
  });
});
