import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type LocalRuntime, startLocalRuntime } from '../../lib/local/runtime.ts';

export interface RunningRuntime {
  runtime: LocalRuntime;
  dataDir: string;
  /** Signs in a demo person through the dev login and returns their bearer token. */
  login(email: string): Promise<string>;
  api(pathname: string, init?: RequestInit & { token?: string }): Promise<Response>;
}

/** The real local runtime (its own DynamoDB Local in a data folder) on a free port. */
export async function startRuntime(
  dataDir = mkdtempSync(path.join(tmpdir(), 'fundflow-data-')),
): Promise<RunningRuntime> {
  const runtime = await startLocalRuntime({ port: 0, dataDir });
  const api = (pathname: string, init: RequestInit & { token?: string } = {}) => {
    const { token, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    return fetch(`${runtime.url}${pathname}`, { ...rest, headers });
  };
  return {
    runtime,
    dataDir,
    api,
    async login(email) {
      const response = await api('/api/dev/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email }),
      });
      if (response.status !== 200)
        throw new Error(`login ${email}: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { token: string }).token;
    },
  };
}
