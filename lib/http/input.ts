/**
 * The zod building blocks of every edge schema (the JSON API, the pages' forms, the approval-link
 * forms, the order CSV, a scheduled job's input): one for text a person typed, one for ids, one for a
 * calendar day. Each refusal is an issue at the
 * field it concerns (zod's path), so the caller learns which field and why.
 */
import * as z from 'zod';
import { ValidationError } from '../domain/errors.ts';
import { isLocalDate } from '../domain/time.ts';
import { lazySchema } from './lazy-schema.ts';
import './zod-messages.ts';
import {
  isPrototypeKey,
  keptTypedText,
  type TypedTextOptions,
  typedTextProblem,
} from '../domain/typed-text.ts';

export interface TypedTextField extends TypedTextOptions {
  /** Names the field in the "required" message. */
  what: string;
  /** At least this many characters once trimmed (default 1: required). */
  min?: number;
  max: number;
  /** The "required" message, when the field's own words say it better. */
  required?: string;
}

/**
 * Text a person typed (lib/domain/typed-text.ts): refused at its field when it holds a control,
 * bidirectional-formatting or broken character; otherwise kept trimmed, in NFC, line endings as LF.
 */
export function typedText({ what, min = 1, max, multiline = false, required }: TypedTextField) {
  const options = { multiline };
  return z
    .string({ message: `${what} 须为文本 ${what} must be text` })
    .superRefine((text, ctx) => {
      const problem = typedTextProblem(text, options);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, input: text, continue: false });
    })
    .overwrite((text) => keptTypedText(text, options))
    .min(
      min,
      required ??
        (min === 1
          ? `${what} 必填 ${what} is required`
          : `${what} 至少 ${min} 个字符 ${what}: at least ${min} characters`),
    )
    .max(max, `${what} 最多 ${max} 个字符 ${what}: at most ${max} characters`);
}

/** Letters, digits and `. _ -`, starting with a letter or digit: what a supplier, order or voucher id is. */
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * An id a caller names (a supplier, an order, a voucher): a path parameter, or typed into a body.
 * Never a name every object has through its prototype (`__proto__`, `constructor`, …).
 */
export function recordId(what: string, options: { max?: number; trim?: boolean } = {}) {
  const max = options.max ?? 64;
  const base = z.string({ message: `${what} 须为文本 ${what} must be text` });
  return (options.trim ? base.trim() : base)
    .min(1, { message: `${what} 必填 ${what} is required`, abort: true })
    .max(max, { message: `${what} 最多 ${max} 个字符 ${what}: at most ${max} characters`, abort: true })
    .regex(ID_PATTERN, {
      message: `${what} 只能用字母、数字和 . _ -，以字母或数字开头 ${what}: letters, digits and . _ - only, starting with a letter or digit`,
      abort: true,
    })
    .refine((id) => !isPrototypeKey(id), {
      message: `${what} 不能用这个名称 ${what} cannot be a name every object has`,
    });
}

/** A calendar day, `YYYY-MM-DD`, that exists (Asia/Shanghai days: POLICY D15). */
export const localDate = lazySchema(() =>
  z.string().refine(isLocalDate, { message: '日期格式为 年-月-日 a calendar day in the form YYYY-MM-DD' }),
);

/** An `Idempotency-Key` header (a JSON submission's, or a form's key sent as one), or the refusal. */
const idempotencyKey = lazySchema(() =>
  z
    .string({ message: '缺少提交编号 the Idempotency-Key header is required' })
    .trim()
    .min(8, '提交编号至少 8 个字符 the Idempotency-Key header needs at least 8 characters')
    .max(128)
    .regex(
      /^[A-Za-z0-9._:-]+$/,
      '提交编号只能用字母、数字和 . _ : - Idempotency-Key: letters, digits and . _ : - only',
    ),
);

export function idempotencyKeyFrom(headers: Record<string, string | undefined>): string {
  const key = idempotencyKey.safeParse(headers['idempotency-key']);
  if (!key.success) {
    const message = key.error.issues[0]?.message ?? 'invalid Idempotency-Key';
    throw new ValidationError(message, { issues: [{ path: 'headers.idempotency-key', message }] });
  }
  return key.data;
}
