/**
 * zod's own words (a wrong type, an unknown key, an option not offered) reach people through every
 * edge schema: they come in Chinese, then English (lib/http/zod-messages.ts), like our own messages.
 */
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import '../../lib/http/zod-messages.ts';

const messageOf = (schema: z.ZodType, value: unknown) =>
  schema.safeParse(value).error?.issues[0]?.message ?? '';

describe('zod’s own messages', () => {
  it('words a wrong type in Chinese, then English', () => {
    const message = messageOf(z.strictObject({ amount: z.string() }), { amount: 12 });
    expect(message).toMatch(/[\u4e00-\u9fff]/);
    expect(message).toMatch(/expected string/i);
    expect(message.search(/[\u4e00-\u9fff]/)).toBeLessThan(message.search(/expected/i));
  });

  it('words an unknown key and an option not offered in both languages', () => {
    for (const message of [
      messageOf(z.strictObject({}), { extra: 1 }),
      messageOf(z.enum(['PAID', 'PAYMENT_FAILED']), 'LOST'),
    ]) {
      expect(message).toMatch(/[\u4e00-\u9fff]/);
      expect(message).toMatch(/[A-Za-z]{3,}/);
    }
  });
});
