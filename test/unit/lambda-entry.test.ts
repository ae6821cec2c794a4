/**
 * A function's Lambda entry (lib/runtime/lambda.ts): what its setup fetches (the link key from Secrets
 * Manager, faults injected with aws-sdk-client-mock) is fetched again by the next invocation after a
 * failure — one throttle never breaks the container — and once only after it worked; a port the
 * function's needs do not name is absent, never a silent default.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { linkKey } from '../../lib/runtime/adapters/link-key.ts';
import { lambdaTaskHandler } from '../../lib/runtime/lambda.ts';
import { onFirstUse } from '../../lib/runtime/on-first-use.ts';

const secrets = mockClient(SecretsManagerClient);
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

beforeEach(() => {
  vi.stubEnv('LINK_KEY_SECRET_ARN', 'arn:aws:secretsmanager:cn-north-1:000000000000:secret:LinkKey');
  vi.stubEnv('PUBLIC_BASE_URL', 'https://fundflow.example/');
});
afterEach(() => {
  secrets.reset();
  vi.unstubAllEnvs();
});

/** A function that needs the link key and answers with what its deps hold. */
const linkKeyReader = () =>
  lambdaTaskHandler({ needs: { linkKey: true } }, { linkKey }, (deps) => async () => ({
    linkKey: deps.linkKey,
    publicBaseUrl: deps.publicBaseUrl,
  }));

describe('a setup that fails', () => {
  it('is tried again by the next invocation, and kept once it worked', async () => {
    secrets.on(GetSecretValueCommand).rejectsOnce(throttled()).resolves({ SecretString: 'the-link-key' });
    const handler = linkKeyReader();

    await expect(handler({})).rejects.toThrow('Rate exceeded');
    expect(await handler({})).toEqual({ linkKey: 'the-link-key', publicBaseUrl: 'https://fundflow.example' });
    expect(await handler({})).toEqual({ linkKey: 'the-link-key', publicBaseUrl: 'https://fundflow.example' });

    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    expect(secrets.commandCalls(GetSecretValueCommand)[0]?.args[0].input).toEqual({
      SecretId: 'arn:aws:secretsmanager:cn-north-1:000000000000:secret:LinkKey',
    });
  });

  it('refuses an empty secret rather than sign links with nothing, and works once the secret is there', async () => {
    secrets
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: '' })
      .resolves({ SecretString: 'the-link-key' });
    const handler = linkKeyReader();

    await expect(handler({})).rejects.toThrow('the approval-link secret is empty');
    expect((await handler({})).linkKey).toBe('the-link-key');
  });
});

describe('a port the needs do not name', () => {
  it('is absent: reading it fails, naming it, instead of yielding a default', async () => {
    const handler = lambdaTaskHandler({ needs: {} }, {}, (deps) => async () => deps.linkKey);

    await expect(handler({})).rejects.toThrow('this function has no link key');
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  it('refuses every call, naming it', async () => {
    const handler = lambdaTaskHandler({ needs: {} }, {}, (deps) => () => deps.mailer.send({} as never));

    await expect(handler({})).rejects.toThrow('this function has no mailer');
  });
});

describe('a port loaded on its first call (lib/runtime/on-first-use.ts)', () => {
  it('loads its client once, on the first call, and loads it again after a failed load', async () => {
    const load = vi
      .fn<() => Promise<{ send: (text: string) => Promise<string> }>>()
      .mockRejectedValueOnce(throttled())
      .mockResolvedValue({ send: async (text) => `sent ${text}` });
    const mailer = onFirstUse(load);
    expect(load).not.toHaveBeenCalled();

    await expect(mailer.send('one')).rejects.toThrow('Rate exceeded');
    expect(await mailer.send('two')).toBe('sent two');
    expect(await mailer.send('three')).toBe('sent three');
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('is no promise itself: awaiting the port does not call it', async () => {
    const load = vi.fn(async () => ({ send: async () => 'sent' }));
    const port = onFirstUse(load);

    expect(await Promise.resolve(port)).toBe(port);
    expect(load).not.toHaveBeenCalled();
  });
});
