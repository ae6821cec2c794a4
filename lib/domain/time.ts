/**
 * Time (POLICY D15): every business rule runs on Asia/Shanghai time, whatever the machine's zone.
 * China has kept UTC+08:00 without daylight saving since 1991, so the zone is a fixed offset; the
 * name is kept for the schedules that need it.
 */
import { ValidationError } from './errors.ts';
import type { Instant, LocalDate } from './model.ts';

export const BUSINESS_TIME_ZONE = 'Asia/Shanghai';
const OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

/** The instant moved to Shanghai wall-clock time, read with the UTC getters. */
function shanghaiWallClock(instant: Date): Date {
  if (Number.isNaN(instant.getTime())) throw new RangeError('not a valid instant: Invalid Date');
  return new Date(instant.getTime() + OFFSET_MS);
}

export function shanghaiDate(instant: Date): LocalDate {
  return shanghaiWallClock(instant).toISOString().slice(0, 10);
}

/** `2026-09-30T11:59:59.000+08:00`. */
export function toShanghaiIso(instant: Date): Instant {
  return `${shanghaiWallClock(instant).toISOString().slice(0, 23)}+08:00`;
}

/** Milliseconds since Shanghai midnight of the instant's day. */
export function shanghaiTimeOfDayMs(instant: Date): number {
  const ms = shanghaiWallClock(instant).getTime() % DAY_MS;
  return ms < 0 ? ms + DAY_MS : ms;
}

const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/** ISO-8601 with an offset (or Z); a time without one is ambiguous (whose noon?) and refused. */
export function parseInstant(text: string): Date {
  const match = typeof text === 'string' ? INSTANT.exec(text) : null;
  if (!match) {
    throw new ValidationError(
      `“${text}”不是带时区的时间 is not an ISO-8601 time with an offset, e.g. 2026-09-30T11:59:59+08:00.`,
    );
  }
  const [, year, month, day, hour, minute, second = '0', , offsetHours = '0', offsetMinutes = '0'] = match;
  const outOfRange =
    !isLocalDate(`${year}-${month}-${day}`) ||
    Number(hour) > 23 ||
    Number(minute) > 59 ||
    Number(second) > 59 ||
    Number(offsetHours) > 23 ||
    Number(offsetMinutes) > 59;
  const date = new Date(text);
  if (outOfRange || Number.isNaN(date.getTime())) {
    throw new ValidationError(`“${text}”不是真实的日期和时间 is not a real date and time.`);
  }
  return date;
}

export function isLocalDate(text: string): boolean {
  if (typeof text !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** Refuses anything that is not a real `YYYY-MM-DD` day, naming it. */
export function assertLocalDate(text: string): void {
  if (!isLocalDate(text))
    throw new ValidationError(
      `“${text}”不是 YYYY-MM-DD 格式的日期 is not a calendar day in the form YYYY-MM-DD.`,
    );
}

/** Calendar arithmetic on the date itself (UTC midnight stands in for it; no zone is involved). */
export function addDays(date: LocalDate, days: number): LocalDate {
  assertLocalDate(date);
  if (!Number.isSafeInteger(days)) throw new RangeError(`addDays needs a whole number of days, got ${days}`);
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** 1 = Monday … 7 = Sunday. */
export function isoDayOfWeek(date: LocalDate): number {
  assertLocalDate(date);
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}
