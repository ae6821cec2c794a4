/**
 * Runs AWS's own DynamoDB Local (DESIGN.md decision 7): the jar shipped in the npm package
 * `amplify-dynamodb-simulator`, with the machine's Java (≥ 17). In memory for tests, a data folder for
 * `npm start`. Only the jar is used, not the package's JavaScript.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

export interface DynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  /** Keep the data in this folder; omit for an in-memory database. */
  dataDir?: string;
  port?: number;
  startupTimeoutMs?: number;
}

function emulatorDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('could not pick a free port');
  return address.port;
}

/**
 * The JVM runs under a small shell that holds the read end of a pipe from this process: when this
 * process ends — stopped, crashed, or killed with SIGKILL, which runs no handler of ours — the pipe
 * closes, the shell's watcher's `read` returns and it stops the JVM. Without it a killed `npm start` or test
 * run left the JVM running (holding its memory, and for `npm start` the data folder's database, which
 * the next start's JVM then opened as well). The shell prints the JVM's pid first, for the last resort
 * of `stop` (SIGKILL, when the JVM does not stop on SIGTERM).
 */
const WATCHDOG = [
  // The pipe as fd 3: an asynchronous command's own stdin is /dev/null.
  'exec 3<&0',
  'java "$@" &',
  'jvm=$!',
  'echo "jvm-pid $jvm"',
  // The watcher: the pipe's end (EOF) stops the JVM.
  '( read -r _ <&3; kill "$jvm" 2>/dev/null ) &',
  // The shell ends with the JVM, with its exit code (a JVM that cannot start is an error at once).
  'wait "$jvm"',
].join('\n');

export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const port = options.port ?? (await freePort());
  const dir = emulatorDir();
  const storage = options.dataDir ? ['-dbPath', options.dataDir, '-sharedDb'] : ['-inMemory'];
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const child = spawn(
    'sh',
    [
      '-c',
      WATCHDOG,
      'dynamodb-local',
      `-Djava.library.path=${path.join(dir, 'DynamoDBLocal_lib')}`,
      '-jar',
      path.join(dir, 'DynamoDBLocal.jar'),
      ...storage,
      '-port',
      String(port),
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  // Not a reason to keep this process alive: the pipe is only there to close when it ends.
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  let output = '';
  let jvmPid: number | null = null;
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    jvmPid ??= Number(/^jvm-pid (\d+)$/m.exec(output)?.[1]) || null;
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const spawnError = new Promise<never>((_, reject) => {
    child.once('error', (error) =>
      reject(new Error(`could not start DynamoDB Local's shell: ${error.message}`)),
    );
    child.once('exit', (code) =>
      reject(
        new Error(
          code === 127
            ? `could not start Java for DynamoDB Local (is Java 17+ installed?):\n${output}`
            : `DynamoDB Local exited with code ${code} before it was ready:\n${output}`,
        ),
      ),
    );
  });
  spawnError.catch(() => undefined);

  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([waitUntilAnswering(endpoint, options.startupTimeoutMs ?? 60_000), spawnError]);
  } catch (error) {
    await stopProcess(child, () => jvmPid);
    throw error;
  }
  return { endpoint, stop: () => stopProcess(child, () => jvmPid) };
}

async function waitUntilAnswering(endpoint: string, timeoutMs: number): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(`DynamoDB Local did not answer at ${endpoint} within ${timeoutMs} ms`, {
            cause: error,
          });
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  } finally {
    client.destroy();
  }
}

/** Closing the pipe tells the shell to stop the JVM (SIGTERM) and wait for it; SIGKILL after 5 s. */
async function stopProcess(child: ChildProcess, jvmPid: () => number | null): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.stdin?.end();
  const timer = setTimeout(() => {
    const pid = jvmPid();
    if (pid !== null) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
    child.kill('SIGKILL');
  }, 5_000);
  await exited;
  clearTimeout(timer);
}
