/**
 * DynamoDB Local's JVM ends with the process that started it, even one killed with SIGKILL (which
 * runs no handler): a killed `npm start` or test run no longer leaves a JVM behind holding its memory
 * and, for `npm start`, the data folder's database (lib/local/dynamodb-local.ts).
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** The pids of the JVMs running DynamoDB Local on `port` (Linux: /proc). */
function jvmsOnPort(port: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const portAt = args.indexOf('-port');
    if (path.basename(args[0] ?? '') === 'java' && portAt > 0 && args[portAt + 1] === port)
      pids.push(Number(entry));
  }
  return pids;
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

describe('DynamoDB Local’s process', () => {
  it('ends when the process that started it is killed with SIGKILL', async () => {
    const starter = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `const { startDynamoDbLocal } = await import(${JSON.stringify(path.join(ROOT, 'lib/local/dynamodb-local.ts'))});
         const { endpoint } = await startDynamoDbLocal();
         console.log('READY ' + new URL(endpoint).port);
         setInterval(() => {}, 1000);`,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    starter.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    await until(() => /READY \d+/.test(output), 60_000);
    const port = /READY (\d+)/.exec(output)?.[1] ?? '';
    expect(port).not.toBe('');
    expect(jvmsOnPort(port)).toHaveLength(1);

    starter.kill('SIGKILL');

    expect(await until(() => jvmsOnPort(port).length === 0, 10_000)).toBe(true);
  }, 90_000);
});
