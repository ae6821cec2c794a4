/** Input shapes more than one edge takes (zod). */
import * as z from 'zod';
import { lazySchema } from './lazy-schema.ts';

/**
 * An email address as people type one, lower-cased (the directory's keys are). At most 254 characters,
 * the longest any mail system delivers (RFC 5321) — and far below what a DynamoDB key may hold, so a
 * typed address never reaches the table as a key it refuses.
 */
export const emailAddress = lazySchema(() =>
  z
    .email()
    .max(254, '邮箱地址最多 254 个字符 an email address has at most 254 characters')
    .transform((email) => email.toLowerCase()),
);
