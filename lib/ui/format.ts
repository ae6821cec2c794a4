/**
 * How values read on a page or in an email: money as `¥1,234.00` (integer fen in, POLICY D14), every
 * instant as Asia/Shanghai wall-clock time whatever the machine's zone (POLICY D15), and a stored
 * message without the policy citations meant for auditors.
 */
import type { Fen, Instant } from '../domain/model.ts';
import { formatFen } from '../domain/money.ts';
import { toShanghaiIso } from '../domain/time.ts';

/** `¥1,234.00`. */
export const yuan = (fen: Fen): string => `¥${formatFen(fen)}`;

/** An instant as Asia/Shanghai wall-clock time to the minute: `2026-11-22 21:10`. */
export const shanghaiTime = (instant: Instant | Date): string =>
  toShanghaiIso(new Date(instant)).slice(0, 16).replace('T', ' ');

/** An instant's Asia/Shanghai day and time apart (for a column that wraps them on two lines). */
export function shanghaiDayAndTime(instant: Instant | Date): { day: string; time: string } {
  const [day = '', time = ''] = shanghaiTime(instant).split(' ');
  return { day, time };
}

/**
 * A message written for the API and the record (`… (POLICY D8).`, `(POLICY D18: one person, one
 * step)`) as a person reads it on screen: the clause references dropped, the words kept. The API and
 * the stored record keep them.
 */
export function plainMessage(message: string): string {
  return message
    .replace(/\s*\(POLICY (?:[^():]|\([^()]*\))*\)/g, '')
    .replace(/\(POLICY (?:[^():]|\([^()]*\))*:\s*/g, '(')
    .trim();
}
