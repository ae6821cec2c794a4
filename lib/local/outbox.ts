/**
 * The local mailer (DESIGN.md decision 11): every email is a JSON file in the data folder, listed at
 * `/dev/outbox` (links clickable) and `GET /api/dev/outbox`.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../app.ts';
import { toShanghaiIso } from '../domain/time.ts';
import { newId } from '../ids.ts';
import type { Mailer, MailMessage } from '../mail/mailer.ts';

export interface OutboxMessage extends MailMessage {
  id: string;
  sentAt: string;
}

export class FileOutbox implements Mailer {
  constructor(
    private readonly dir: string,
    private readonly clock: Clock,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  async send(message: MailMessage): Promise<void> {
    const now = this.clock.now();
    const id = newId(now.getTime());
    const stored: OutboxMessage = { id, ...message, sentAt: toShanghaiIso(now) };
    const file = path.join(this.dir, `${id}.json`);
    writeFileSync(`${file}.tmp`, JSON.stringify(stored, null, 2));
    renameSync(`${file}.tmp`, file);
  }

  /** Oldest first. */
  list(): OutboxMessage[] {
    return readdirSync(this.dir)
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => JSON.parse(readFileSync(path.join(this.dir, name), 'utf8')) as OutboxMessage);
  }
}
