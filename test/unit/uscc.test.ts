import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidUscc } from '../../lib/domain/uscc.ts';

const VALID = '91350100M000100Y43';
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const codeChar = fc.constantFrom(...ALPHABET);

describe('the unified social credit code (GB 32100-2015)', () => {
  it.each([VALID, '91110108551385082Q', '91330100716105852F', '91440300708461136T'])(
    'accepts the published code %s',
    (code) => {
      expect(isValidUscc(code)).toBe(true);
    },
  );

  it('accepts a code whose check value comes to 31, written as 0', () => {
    expect(isValidUscc('000000000000000000')).toBe(true);
  });

  it.each([
    ['91350100M000100I43', 'I is not in the code alphabet'],
    ['91350100M000100Y4', 'too short'],
    ['91350100M000100Y433', 'too long'],
    ['91350100m000100y43', 'lower case'],
    [` ${VALID}`, 'a leading space'],
    ['', 'empty'],
  ])('rejects %s (%s)', (code) => {
    expect(isValidUscc(code)).toBe(false);
  });

  it('rejects the valid code with any one character changed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 17 }), codeChar, (position, replacement) => {
        fc.pre(VALID[position] !== replacement);

        const changed = `${VALID.slice(0, position)}${replacement}${VALID.slice(position + 1)}`;

        expect(isValidUscc(changed)).toBe(false);
      }),
    );
  });

  it('rejects the valid code with two different neighbouring characters swapped', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 16 }), (position) => {
        const [a = '', b = ''] = [VALID[position], VALID[position + 1]];
        fc.pre(a !== b);

        const swapped = `${VALID.slice(0, position)}${b}${a}${VALID.slice(position + 2)}`;

        expect(isValidUscc(swapped)).toBe(false);
      }),
    );
  });

  it('completes any 17 characters with exactly one check character', () => {
    fc.assert(
      fc.property(fc.array(codeChar, { minLength: 17, maxLength: 17 }), (body) => {
        const valid = [...ALPHABET].filter((check) => isValidUscc(`${body.join('')}${check}`));

        expect(valid).toHaveLength(1);
      }),
    );
  });
});
