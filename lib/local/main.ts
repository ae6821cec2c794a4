/**
 * `npm start`: the whole of fundflow on this machine. Settings: PORT (default 3000), FUNDFLOW_DATA_DIR
 * (default .data/), FUNDFLOW_DKIM_PRIVATE_KEY (a PEM file: the demo mail domain's DKIM key; by
 * default one is generated once into the data folder), and PUBLIC_BASE_URL when people reach it
 * through another URL (an HTTPS proxy).
 */
import path from 'node:path';
import { startBanner } from './banner.ts';
import { startLocalRuntime } from './runtime.ts';
import { DEMO_PEOPLE } from './seed.ts';

const port = Number(process.env.PORT ?? 3000);
const dataDir = path.resolve(process.env.FUNDFLOW_DATA_DIR ?? '.data');

const dkimPrivateKeyFile = process.env.FUNDFLOW_DKIM_PRIVATE_KEY;
const publicBaseUrl = process.env.PUBLIC_BASE_URL || undefined;

const runtime = await startLocalRuntime({
  port,
  dataDir,
  ...(dkimPrivateKeyFile ? { dkimPrivateKeyFile: path.resolve(dkimPrivateKeyFile) } : {}),
  ...(publicBaseUrl ? { publicBaseUrl } : {}),
});
console.log(startBanner({ url: runtime.url, dataDir, people: DEMO_PEOPLE }));

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping fundflow…');
    void runtime.stop().then(() => process.exit(0));
  });
}
