/**
 * zod's own words (a wrong type, an unknown key, an option not offered) reach people through every
 * edge schema: they come in Chinese, then English (lib/http/zod-messages.ts), like our own messages.
 */
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { recordId, typedText } from '../../lib/http/input.ts';
import { lazySchema } from '../../lib/http/lazy-schema.ts';
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

describe('an edge schema built on its first use (lib/http/lazy-schema.ts)', () => {
  const build = () =>
    z.strictObject({ id: recordId('voucher id'), name: typedText({ what: 'name', max: 5 }) });

  it('is not built until it is used, then once', () => {
    const made = vi.fn(build);
    const schema = lazySchema(made);
    expect(made).not.toHaveBeenCalled();

    schema.safeParse({});
    schema.safeParse({ id: 'V1', name: 'ok' });
    expect(made).toHaveBeenCalledTimes(1);
  });

  it('accepts, refuses and words its refusals exactly as the schema it builds, extended or nested', () => {
    const eager = build().extend({ count: z.number().optional() });
    const lazy = lazySchema(() => lazySchema(build).extend({ count: z.number().optional() }));
    const inputs = [
      { id: 'V1', name: ' ab ' },
      { id: '', name: 'abcdef', extra: 1 },
      { id: '__proto__', name: 'a', count: 'x' },
      'not an object',
    ];
    for (const input of inputs) expect(lazy.safeParse(input)).toEqual(eager.safeParse(input));
    expect(lazy).toBeInstanceOf(z.ZodObject);
    expect(Object.keys(lazy.shape)).toEqual(['id', 'name', 'count']);
    expect(z.array(lazySchema(build)).safeParse([{ id: 'V1' }])).toEqual(
      z.array(build()).safeParse([{ id: 'V1' }]),
    );
  });
});
