/**
 * The daily export's rules (POLICY 3.1, D10): windows that chain without gap or overlap, the instant
 * an order became complete and recorded, late orders; and what counts as a CSV file by its bytes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  completeRecordedAtOf,
  exportOccurrence,
  exportWindow,
  FIRST_WINDOW_START,
  isLate,
} from '../../lib/domain/daily-export.ts';
import { parseInstant, toShanghaiIso } from '../../lib/domain/time.ts';
import { isCsvText } from '../../lib/uploads/file-kinds.ts';
import { TINY_PDF, TINY_PNG, zipOf } from '../support/files.ts';

const at = (text: string) => toShanghaiIso(parseInstant(text));

describe('the export window', () => {
  it('is 17:30 Asia/Shanghai of the day, whatever the machine’s zone', () => {
    expect(exportOccurrence('2026-10-08', '17:30').toISOString()).toBe('2026-10-08T09:30:00.000Z');
  });

  it('refuses an export time that is not HH:mm', () => {
    expect(() => exportOccurrence('2026-10-08', '5:30pm')).toThrow(/HH:mm/);
  });

  it('starts where the previous export ended and ends at the day’s 17:30', () => {
    expect(
      exportWindow({
        previousWindowEnd: at('2026-09-30T17:30:00+08:00'),
        occurrence: exportOccurrence('2026-10-08', '17:30'),
        now: new Date('2026-10-08T18:00:00+08:00'),
      }),
    ).toEqual({ windowStart: at('2026-09-30T17:30:00+08:00'), windowEnd: at('2026-10-08T17:30:00+08:00') });
  });

  it('starts at the beginning of time for an entity’s first export', () => {
    const window = exportWindow({
      previousWindowEnd: null,
      occurrence: exportOccurrence('2026-10-08', '17:30'),
      now: new Date('2026-10-08T18:00:00+08:00'),
    });
    expect(window.windowStart).toBe(FIRST_WINDOW_START);
  });

  it('never ends after the present, and never before it starts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 * 86_400_000 }),
        fc.integer({ min: -5 * 86_400_000, max: 5 * 86_400_000 }),
        (sinceStart, nowOffset) => {
          const start = new Date('2026-09-30T17:30:00+08:00').getTime();
          const occurrence = new Date(start + sinceStart);
          const now = new Date(occurrence.getTime() + nowOffset);
          const window = exportWindow({ previousWindowEnd: toShanghaiIso(new Date(start)), occurrence, now });
          const end = parseInstant(window.windowEnd).getTime();
          expect(end).toBeLessThanOrEqual(Math.max(now.getTime(), start));
          expect(end).toBeLessThanOrEqual(occurrence.getTime());
          expect(end).toBeGreaterThanOrEqual(start);
        },
      ),
    );
  });
});

describe('when an order became complete and recorded', () => {
  it('is the import’s time when the funds were credited before it', () => {
    expect(
      completeRecordedAtOf(
        null,
        { fundsCreditedAt: at('2026-09-30T15:00:00+08:00') },
        at('2026-10-05T09:00:00+08:00'),
      ),
    ).toBe(at('2026-10-05T09:00:00+08:00'));
  });

  it('is the credit time when the import already said it would come later', () => {
    expect(
      completeRecordedAtOf(
        null,
        { fundsCreditedAt: at('2026-10-06T09:00:00+08:00') },
        at('2026-10-05T09:00:00+08:00'),
      ),
    ).toBe(at('2026-10-06T09:00:00+08:00'));
  });

  it('is nothing while the funds are not credited', () => {
    expect(completeRecordedAtOf(null, { fundsCreditedAt: null }, at('2026-10-05T09:00:00+08:00'))).toBeNull();
  });

  it('does not move once set, whatever a later import says', () => {
    const first = at('2026-09-29T10:00:00+08:00');
    expect(
      completeRecordedAtOf(
        { completeRecordedAt: first },
        { fundsCreditedAt: at('2026-10-01T09:00:00+08:00') },
        at('2026-10-05T09:00:00+08:00'),
      ),
    ).toBe(first);
  });
});

describe('a late order', () => {
  it('is one credited within an earlier export’s window', () => {
    expect(
      isLate({ fundsCreditedAt: at('2026-09-30T15:00:00+08:00') }, at('2026-09-30T17:30:00+08:00')),
    ).toBe(true);
  });

  it('is not one credited after the previous export', () => {
    expect(
      isLate({ fundsCreditedAt: at('2026-10-03T10:00:00+08:00') }, at('2026-09-30T17:30:00+08:00')),
    ).toBe(false);
  });
});

describe('a CSV file by its bytes', () => {
  it('is comma-separated UTF-8 text, with or without a BOM', async () => {
    expect(await isCsvText(Buffer.from('orderId,supplierId\nA,B\n'))).toBe(true);
    expect(await isCsvText(Buffer.from('\uFEFForderId,供应商\nA,B\n'))).toBe(true);
  });

  it('is not an image, a PDF or a spreadsheet named .csv', async () => {
    expect(await isCsvText(TINY_PNG)).toBe(false);
    expect(await isCsvText(TINY_PDF)).toBe(false);
    expect(await isCsvText(zipOf({ '[Content_Types].xml': '<Types/>' }))).toBe(false);
  });

  it('is not text in another encoding, nor text with control characters, nor an empty file', async () => {
    expect(await isCsvText(Buffer.from([0x6f, 0x2c, 0xb6, 0xa9, 0xb5, 0xa5, 0x0a]))).toBe(false);
    expect(await isCsvText(Buffer.from('a,b\u0000\n'))).toBe(false);
    expect(await isCsvText(Buffer.alloc(0))).toBe(false);
  });
});
