/**
 * Configuration at cold start (lib/runtime/config.ts): a function's needs decide which keys it requires; a
 * missing or empty key is named, never defaulted.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, configKeysFor, loadConfig, OPTIONAL_CONFIG_KEYS } from '../../lib/runtime/config.ts';

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
      'MAIL_TRANSPORT',
      'PUBLIC_BASE_URL',
      'SMTP_SECRET_ARN',
    ]);
    expect(configKeysFor({ sessions: true }).sort()).toEqual([
      'PUBLIC_BASE_URL',
      'SIGN_IN_CLIENT_ID',
      'SIGN_IN_ISSUER',
    ]);
    expect(configKeysFor({ signIn: true }).sort()).toEqual([
      'PUBLIC_BASE_URL',
      'SIGN_IN_CLIENT_ID',
      'SIGN_IN_ISSUER',
      'SIGN_IN_KEY_SECRET_ARN',
      'SIGN_IN_LOGOUT_URL',
    ]);
  });

  it('may leave unset only the logout URL, the mail transport, the SMTP secret and the user pool', () => {
    expect([...OPTIONAL_CONFIG_KEYS].sort()).toEqual([
      'MAIL_TRANSPORT',
      'SIGN_IN_LOGOUT_URL',
      'SMTP_SECRET_ARN',
      'USER_POOL_ID',
    ]);
  });

  it('include the user pool for the identity directory (unset with the company’s OIDC provider)', () => {
    expect(configKeysFor({ identityDirectory: true })).toEqual(['USER_POOL_ID']);
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

  it('signs in without a logout URL (an OIDC provider ends its session at its own endpoint), but not without the cookie key', () => {
    const signIn = {
      SIGN_IN_ISSUER: 'https://login.example.cn/realms/staff',
      SIGN_IN_CLIENT_ID: 'fundflow',
      SIGN_IN_KEY_SECRET_ARN: 'arn:aws-cn:secretsmanager:cn-north-1:000000000000:secret:SignIn',
      PUBLIC_BASE_URL: 'https://fundflow.example.cn',
    };

    expect(loadConfig({ signIn: true }, signIn)).toEqual(signIn);
    const { SIGN_IN_KEY_SECRET_ARN: _missing, ...withoutKey } = signIn;
    expect(() => loadConfig({ signIn: true }, withoutKey)).toThrow(/SIGN_IN_KEY_SECRET_ARN is not set/);
  });

  it('mails through SES unless told smtp, and through SMTP only with its secret', () => {
    const mail = { MAIL_FROM: 'fundflow@example.cn', PUBLIC_BASE_URL: 'https://fundflow.example.cn' };

    expect(loadConfig({ mail: true }, mail).MAIL_TRANSPORT).toBe('ses');
    expect(() => loadConfig({ mail: true }, { ...mail, MAIL_TRANSPORT: 'smtp' })).toThrow(
      /SMTP_SECRET_ARN is not set \(MAIL_TRANSPORT is smtp\)/,
    );
    expect(() => loadConfig({ mail: true }, { ...mail, MAIL_TRANSPORT: 'smtp' })).toThrow(ConfigError);
    expect(
      loadConfig(
        { mail: true },
        { ...mail, MAIL_TRANSPORT: 'smtp', SMTP_SECRET_ARN: 'arn:aws-cn:secretsmanager:x' },
      ),
    ).toMatchObject({ MAIL_TRANSPORT: 'smtp', SMTP_SECRET_ARN: 'arn:aws-cn:secretsmanager:x' });
    expect(() => loadConfig({ mail: true }, { ...mail, MAIL_TRANSPORT: 'sendmail' })).toThrow(
      /MAIL_TRANSPORT is not valid/,
    );
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

  it('fails at init, naming the SMTP secret, when a function that mails is told smtp without it', () => {
    const started = coldStart(requestApproval, { ...all, MAIL_TRANSPORT: 'smtp' });

    expect(started.status).not.toBe(0);
    expect(started.stderr).toContain('SMTP_SECRET_ARN is not set (MAIL_TRANSPORT is smtp)');
  });

  it('starts with SMTP and its secret, calling nothing (the credentials are read before the first message)', () => {
    const started = coldStart(requestApproval, {
      ...all,
      MAIL_TRANSPORT: 'smtp',
      SMTP_SECRET_ARN: 'arn:aws-cn:secretsmanager:cn-north-1:000000000000:secret:SmtpCredentials',
    });

    expect(started.stderr).toBe('');
    expect(started.status).toBe(0);
  });

  it('succeeds with the keys its needs require, calling nothing (the secret is read on the first invocation)', () => {
    const started = coldStart(requestApproval, all);

    expect(started.stderr).toBe('');
    expect(started.status).toBe(0);
  });
});
