import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { keptTypedText, PROTOTYPE_KEYS, typedTextProblem } from '../../lib/domain/typed-text.ts';
import { recordId, typedText } from '../../lib/http/input.ts';

const BIDI = [
  '\u202A',
  '\u202B',
  '\u202C',
  '\u202D',
  '\u202E',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u200E',
  '\u200F',
  '\u061C',
];
/** Every C0 control, DEL and every C1 control. */
const CONTROLS = [
  ...Array.from({ length: 0x20 }, (_, code) => String.fromCharCode(code)),
  '\u007F',
  ...Array.from({ length: 0x20 }, (_, code) => String.fromCharCode(0x80 + code)),
];
const LONE_SURROGATES = ['\uD800', '\uDBFF', '\uDC00', '\uDFFF'];

/** Text people type here: Chinese, Latin letters, digits, punctuation, full-width forms, emoji. */
const clean = fc.string({
  unit: fc.constantFrom(
    ...'杭州织锦服饰有限公司（集团）中国工商银行西湖支行秋冬女装件，。、',
    ...'Ltd. Co., 0123456789 -_/#&()',
    'é',
    'e\u0301',
    '👗',
    '\u00A0',
  ),
  maxLength: 40,
});

/** Clean text with `inserted` put between two of its characters (or at either end). */
const withInserted = (inserted: fc.Arbitrary<string>) =>
  fc.tuple(clean, inserted, fc.nat()).map(([text, char, at]) => {
    const chars = [...text];
    chars.splice(at % (chars.length + 1), 0, char);
    return chars.join('');
  });

describe('text a person typed', () => {
  it('refuses a bidirectional formatting character anywhere, one-line or multi-line', () => {
    fc.assert(
      fc.property(withInserted(fc.constantFrom(...BIDI)), fc.boolean(), (text, multiline) => {
        expect(typedTextProblem(text, { multiline })).toMatch(/text-direction control U\+[0-9A-F]{4}/);
      }),
    );
  });

  it('refuses every control character in one-line text, where it is not at either end', () => {
    fc.assert(
      fc.property(withInserted(fc.constantFrom(...CONTROLS)), (text) => {
        expect(typedTextProblem(`a${text}b`)).not.toBeNull();
      }),
    );
  });

  it('refuses NUL and every other control but tab and line feed in multi-line text', () => {
    const refused = CONTROLS.filter((char) => !['\t', '\n', '\r'].includes(char));
    fc.assert(
      fc.property(withInserted(fc.constantFrom(...refused)), (text) => {
        expect(typedTextProblem(`a${text}b`, { multiline: true })).toMatch(/control character U\+/);
      }),
    );
  });

  it('keeps the lines of a multi-line reason, with CRLF and CR read as LF', () => {
    fc.assert(
      fc.property(
        fc.array(
          clean.filter((line) => line.trim() !== ''),
          { minLength: 1, maxLength: 5 },
        ),
        (lines) => {
          const typed = lines.map((line) => line.trim()).join('\r\n');

          expect(typedTextProblem(typed, { multiline: true })).toBeNull();
          expect(keptTypedText(typed, { multiline: true })).toBe(
            lines
              .map((line) => line.trim())
              .join('\n')
              .normalize('NFC'),
          );
        },
      ),
    );
  });

  it('refuses a lone surrogate anywhere', () => {
    fc.assert(
      fc.property(withInserted(fc.constantFrom(...LONE_SURROGATES)), fc.boolean(), (text, multiline) => {
        expect(typedTextProblem(text, { multiline })).toMatch(/broken character/);
      }),
    );
  });

  it('accepts the text people type and keeps it trimmed and in NFC, unchanged when kept again', () => {
    fc.assert(
      fc.property(clean, (text) => {
        const kept = keptTypedText(text);

        expect(typedTextProblem(text)).toBeNull();
        expect(kept).toBe(text.trim().normalize('NFC'));
        expect(keptTypedText(kept)).toBe(kept);
        expect(typedTextProblem(kept)).toBeNull();
      }),
    );
  });

  it('allows a line break pasted at the end of a one-line name, but not one inside it', () => {
    expect(typedTextProblem('杭州织锦服饰有限公司\n')).toBeNull();
    expect(typedTextProblem('杭州织锦\n服饰有限公司')).toMatch(/Must be one line/);
  });
});

describe('the zod building block for typed text', () => {
  const form = z.object({ payee: z.object({ name: typedText({ what: 'name', max: 200 }) }) });

  it('refuses a character it must not store with an issue at the field it is in', () => {
    const parsed = form.safeParse({ payee: { name: '杭州\u202E司公限有' } });

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues).toEqual([
      expect.objectContaining({ path: ['payee', 'name'], message: expect.stringContaining('U+202E') }),
    ]);
  });

  it('gives the kept form: trimmed and NFC', () => {
    expect(form.parse({ payee: { name: '  Cafe\u0301 Ltd ' } }).payee.name).toBe('Café Ltd');
  });

  it('counts the length limit on the kept form', () => {
    const short = typedText({ what: 'x', max: 3 });

    expect(short.safeParse(' abc ').success).toBe(true);
    expect(short.safeParse('abcd').success).toBe(false);
    expect(short.safeParse('   ').success).toBe(false);
  });
});

describe('the zod building block for ids', () => {
  const id = recordId('voucher id');

  it('refuses every name a plain object has through its prototype', () => {
    expect(PROTOTYPE_KEYS.has('__proto__')).toBe(true);
    for (const key of [...PROTOTYPE_KEYS, 'constructor', 'prototype', 'hasOwnProperty', 'toString']) {
      expect(id.safeParse(key).success, key).toBe(false);
    }
  });

  it('accepts the ids fundflow and the platform use', () => {
    for (const key of ['01KABCDEFGHJKMNPQRSTVWXYZ0', 'LS-20261116-0001', 'SUP-HZ-TEXTILE', 'a.b_c-1']) {
      expect(id.safeParse(key).success, key).toBe(true);
    }
  });

  it('refuses anything but letters, digits and . _ - (spaces, slashes, control and direction characters)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9]{1,10}$/),
        fc.constantFrom(' ', '/', '\u0000', '\u202E', '%', '中', '\n'),
        (text, bad) => {
          expect(id.safeParse(`${text}${bad}${text}`).success).toBe(false);
        },
      ),
    );
  });
});
