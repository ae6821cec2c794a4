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

/** A stored attachment: its bytes as base64 (the message is one JSON file). */
export interface OutboxAttachment {
  fileName: string;
  contentType: string;
  size: number;
  base64: string;
}

export interface OutboxMessage extends Omit<MailMessage, 'attachments'> {
  id: string;
  sentAt: string;
  attachments?: OutboxAttachment[];
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
    const { attachments, ...rest } = message;
    const stored: OutboxMessage = {
      id,
      ...rest,
      sentAt: toShanghaiIso(now),
      ...(attachments?.length
        ? {
            attachments: attachments.map((file) => ({
              fileName: file.fileName,
              contentType: file.contentType,
              size: file.content.length,
              base64: Buffer.from(file.content).toString('base64'),
            })),
          }
        : {}),
    };
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
