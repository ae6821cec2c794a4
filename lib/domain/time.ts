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
  return (instant.getTime() + OFFSET_MS) % DAY_MS;
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;

/** ISO-8601 with an offset (or Z); a time without one is ambiguous and refused. */
export function parseInstant(text: string): Date {
  const match = INSTANT.exec(text);
  if (!match) {
    throw new ValidationError(
      `"${text}" is not an ISO-8601 time with an offset, e.g. 2026-09-30T11:59:59+08:00.`,
    );
  }
  const [, year, month, day, hour, minute] = match;
  if (!isLocalDate(`${year}-${month}-${day}`) || Number(hour) > 23 || Number(minute) > 59) {
    throw new ValidationError(`"${text}" is not a real date and time.`);
  }
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new ValidationError(`"${text}" is not a real date and time.`);
  return date;
}

export function isLocalDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** 1 = Monday … 7 = Sunday. */
export function isoDayOfWeek(date: LocalDate): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}
