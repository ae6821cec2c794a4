/**
 * The keys of uploaded files. Keys are ours, never the caller's: `evidence/<day>/<ulid>/<name>`, the
 * name the original one made safe and at most 80 characters. An edge refuses anything of another shape
 * before it reads the table, so no key of a request can reach DynamoDB's key-size limit (2,048 bytes)
 * or grow an item (docs/api.md, uploads).
 */
import * as z from 'zod';
import { shanghaiDate } from '../domain/time.ts';
import { lazySchema } from '../http/lazy-schema.ts';
import { newId } from '../ids.ts';

/** Every upload key starts here; IAM grants are scoped to it. */
export const EVIDENCE_PREFIX = 'evidence/';

/** The longest name a key keeps of the file's own name, in characters. */
export const MAX_KEY_NAME_CHARACTERS = 80;

const KEY_SHAPE = new RegExp(
  `^${EVIDENCE_PREFIX}\\d{4}-\\d{2}-\\d{2}/[0-9A-HJKMNP-TV-Z]{26}/([\\p{L}\\p{N}._-]{1,${MAX_KEY_NAME_CHARACTERS}})$`,
  'u',
);

/**
 * The longest key in UTF-8 bytes: the prefix, the day, the ULID, two slashes and the name, each of whose
 * characters takes at most 4 bytes.
 */
export const MAX_KEY_BYTES = EVIDENCE_PREFIX.length + 10 + 1 + 26 + 1 + 4 * MAX_KEY_NAME_CHARACTERS;

/** A storage key that keeps the original name readable but safe. */
export function evidenceKey(now: Date, fileName: string): string {
  const safe = Array.from(
    fileName
      .normalize('NFKC')
      .replace(/[^\p{L}\p{N}._-]+/gu, '-')
      .replace(/^[.-]+|[.-]+$/g, ''),
  )
    .slice(0, MAX_KEY_NAME_CHARACTERS)
    .join('');
  const name = /[\p{L}\p{N}]/u.test(safe) ? safe : 'file';
  return `${EVIDENCE_PREFIX}${shanghaiDate(now)}/${newId(now.getTime())}/${name}`;
}

/** Whether `key` has the shape of a key `evidenceKey` makes (a name of dots only is none). */
export function isUploadKey(key: string): boolean {
  const name = KEY_SHAPE.exec(key)?.[1];
  return name !== undefined && /[\p{L}\p{N}]/u.test(name);
}

/** An upload key at an edge (zod): anything else is a 400 naming the field, before any read. */
export const uploadKey = lazySchema(() =>
  z
    .string()
    .max(MAX_KEY_BYTES, '不是 fundflow 发出的文件编号（太长）not a file key fundflow issued (too long)')
    .refine(
      isUploadKey,
      '不是 fundflow 发出的文件编号 not a file key fundflow issued (evidence/<day>/<id>/<name>)',
    ),
);
