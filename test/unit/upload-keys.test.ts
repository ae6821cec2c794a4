import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evidenceKey, isUploadKey, MAX_KEY_BYTES, uploadKey } from '../../lib/uploads/upload-keys.ts';

const now = new Date('2026-11-18T10:00:00+08:00');

describe('upload keys: ours, of one shape, bounded (docs/api.md, uploads)', () => {
  it('keeps a readable name under the day and a ULID', () => {
    expect(evidenceKey(now, '订单 截图(1).png')).toMatch(
      /^evidence\/2026-11-18\/[0-9A-Z]{26}\/订单-截图-1-\.png$/,
    );
  });

  it('makes a key of the accepted shape from any file name, within the byte bound', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (fileName) => {
        const key = evidenceKey(now, fileName);
        expect(isUploadKey(key)).toBe(true);
        expect(Buffer.byteLength(key)).toBeLessThanOrEqual(MAX_KEY_BYTES);
      }),
    );
    // A hundred names of up to 300 characters each: more than the default five seconds on a busy machine.
  }, 30_000);

  it('cuts a long name at 80 characters without splitting one (no lone surrogate)', () => {
    const key = evidenceKey(now, '𠀀'.repeat(200));

    expect(Array.from(key.split('/').at(-1) ?? '')).toHaveLength(80);
    expect(key.isWellFormed()).toBe(true);
  });

  it('names a file of dots or symbols only "file"', () => {
    expect(evidenceKey(now, '..').endsWith('/file')).toBe(true);
    expect(evidenceKey(now, '<script>').endsWith('/script')).toBe(true);
  });

  it.each([
    ['the probe’s 5,000 characters', `evidence/${'x'.repeat(5000)}`],
    ['a name of 81 characters', `evidence/2026-11-18/01KAAAAAAAAAAAAAAAAAAAAAAA/${'a'.repeat(81)}`],
    ['a 127-character key of another shape', `evidence/2026-11-18/${'b'.repeat(107)}`],
    ['another prefix', 'invoices/2026-11-18/01KAAAAAAAAAAAAAAAAAAAAAAA/a.png'],
    ['a path that climbs', 'evidence/2026-11-18/01KAAAAAAAAAAAAAAAAAAAAAAA/..'],
    ['a lower-case id', 'evidence/2026-11-18/01kaaaaaaaaaaaaaaaaaaaaaaa/a.png'],
    ['a slash in the name', 'evidence/2026-11-18/01KAAAAAAAAAAAAAAAAAAAAAAA/a/b.png'],
  ])('refuses %s at the edge', (_, key) => {
    expect(isUploadKey(key)).toBe(false);
    expect(uploadKey.safeParse(key).success).toBe(false);
  });

  it('accepts a key evidenceKey made', () => {
    expect(uploadKey.safeParse(evidenceKey(now, 'order.png')).success).toBe(true);
  });
});
