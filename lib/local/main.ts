/**
 * `npm start`: the whole of fundflow on this machine. Settings: PORT (default 3000), FUNDFLOW_DATA_DIR
 * (default .data/), FUNDFLOW_DKIM_PRIVATE_KEY (a PEM file: the demo mail domain's DKIM key; by
 * default one is generated once into the data folder), and PUBLIC_BASE_URL when people reach it
 * through another URL (an HTTPS proxy).
 */
import path from 'node:path';
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
console.log(`
fundflow is running at ${runtime.url}  (data in ${dataDir})

  Sign in:        ${runtime.url}/login   (pick a demo person)
  Health:         ${runtime.url}/health
  API sign-in:    curl -s -X POST ${runtime.url}/api/dev/login -H 'content-type: application/json' -d '{"email":"li.na@lianshang.example"}'
  Clock:          ${runtime.url}/api/dev/clock
  Consent email:  curl -s -X POST ${runtime.url}/api/dev/consent-email -H 'content-type: application/json' -d '{"approver":"wang.qiang@lianshang.example","voucherId":"<id>"}' -o consent.eml

Demo people: ${DEMO_PEOPLE.map((person) => `${person.email} (${person.roles.join('/')})`).join(', ')}
`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping fundflow…');
    void runtime.stop().then(() => process.exit(0));
  });
}
