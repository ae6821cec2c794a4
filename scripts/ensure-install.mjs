#!/usr/bin/env node
// Runs before `npm start` and `npm test` (npm's pre-scripts), with whatever Node the machine has (20
// is enough for this file). It makes a fresh clone work with one command: installs the locked
// dependencies when node_modules is missing or older than package-lock.json — which also brings the
// Node 24 binary (the `node` dev dependency) that every other npm script runs on — and, for tests,
// makes sure Debian's Chromium is there for the browser tests.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stampFile = path.join(root, 'node_modules', '.fundflow-install-stamp');
const lockHash = createHash('sha256')
  .update(readFileSync(path.join(root, 'package-lock.json')))
  .digest('hex');

function run(command, args) {
  console.log(`[ensure-install] ${command} ${args.join(' ')}`);
  execFileSync(command, args, { cwd: root, stdio: 'inherit' });
}

const installed = existsSync(stampFile) && readFileSync(stampFile, 'utf8') === lockHash;
if (!installed) {
  run('npm', ['ci', '--no-audit', '--no-fund']);
  writeFileSync(stampFile, lockHash);
}

if (process.argv.includes('--for-tests')) {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    if (process.getuid?.() !== 0) {
      console.error(
        `[ensure-install] ${chromium} is missing: install Debian's chromium (apt-get install -y chromium).`,
      );
      process.exit(1);
    }
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', 'chromium']);
  }
}
