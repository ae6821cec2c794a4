/**
 * The local stand-in for EventBridge Scheduler (DESIGN.md decision 13): the same job handlers on the
 * same cron, in Asia/Shanghai, on the runtime's clock. When the clock passes occurrences — by time
 * passing or by `POST /api/dev/clock` — each of them runs with its own time, oldest first, as
 * EventBridge Scheduler passes `<aws.scheduler.scheduled-time>`: a jump from Monday 09:00 to Wednesday
 * 18:00 runs Monday's, Tuesday's and Wednesday's 17:30 job, as the days passing would have. A jump runs
 * at most the last `CATCH_UP_DAYS` days of occurrences and logs that it skipped older ones. What has
 * run is kept in the data folder after each occurrence, so a restart neither repeats nor skips one.
 * Setting the clock back runs nothing; occurrences passed again later run again (the jobs themselves
 * send nothing twice).
 *
 * A rate job (`everyMinutes`, e.g. the workflow outbox's sweep) runs at multiples of its period; a
 * check that passed several of them runs it once, for the latest: each run does all of its work, so
 * an earlier occurrence would add nothing (and a clock jumped a month would run it 44,640 times).
 * A rate job whose work is each day's (`catchUp: 'eachDay'`: the jobs at a policy's time of day, see
 * lib/workflow/catalogue.ts) runs once more for each day the check passed — at that day's last
 * occurrence, after any time of that day — oldest first, within the same `CATCH_UP_DAYS`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Clock } from '../app.ts';
import type { LocalDate } from '../domain/model.ts';
import { addDays, isoDayOfWeek, shanghaiDate } from '../domain/time.ts';
import type { JobInput } from '../jobs/job-input.ts';
import { logger } from '../observability/logger.ts';

/** A daily or weekly cron in Asia/Shanghai: a fixed minute and hour, every day or one weekday. */
export interface Cron {
  minute: string;
  hour: string;
  weekDay: string;
}

export type LocalJob = ({ cron: Cron } | { everyMinutes: number; catchUp?: 'eachDay' }) & {
  run: (input: JobInput) => Promise<unknown>;
};

/** How far back a jump of the clock catches up: a month of daily occurrences. */
export const CATCH_UP_DAYS = 31;
const DAY_MS = 24 * 3600 * 1000;

const WEEK_DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

function occurrenceOn(cron: Cron, day: LocalDate): Date | null {
  const matches = cron.weekDay === '*' || WEEK_DAYS[isoDayOfWeek(day) - 1] === cron.weekDay;
  if (!matches) return null;
  return new Date(`${day}T${cron.hour.padStart(2, '0')}:${cron.minute.padStart(2, '0')}:00+08:00`);
}

/** The latest occurrence of a daily/weekly cron at or before `now` (Asia/Shanghai), within a week. */
export function latestOccurrence(cron: Cron, now: Date): Date {
  for (let back = 0; back <= 7; back++) {
    const at = occurrenceOn(cron, addDays(shanghaiDate(now), -back));
    if (at && at.getTime() <= now.getTime()) return at;
  }
  throw new Error(`cron ${JSON.stringify(cron)} has no occurrence in a week`);
}

/** Every occurrence of a daily/weekly cron after `after` and at or before `upTo`, oldest first. */
export function occurrencesBetween(cron: Cron, after: Date, upTo: Date): Date[] {
  const occurrences: Date[] = [];
  const last = shanghaiDate(upTo);
  for (let day = shanghaiDate(after); day <= last; day = addDays(day, 1)) {
    const at = occurrenceOn(cron, day);
    if (at && at.getTime() > after.getTime() && at.getTime() <= upTo.getTime()) occurrences.push(at);
  }
  return occurrences;
}

/** The latest occurrence of a rate of `minutes` at or before `now` (multiples of it since the epoch). */
export function latestRateOccurrence(minutes: number, now: Date): Date {
  const period = minutes * 60_000;
  return new Date(Math.floor(now.getTime() / period) * period);
}

/**
 * The occurrences of a rate of `minutes` a check from `after` to `now` runs: the latest, and with
 * `eachDay` before it the last of each Asia/Shanghai day passed (after `after`), oldest first.
 */
export function rateOccurrencesBetween(minutes: number, after: Date, now: Date, catchUp?: 'eachDay'): Date[] {
  const occurrences: Date[] = [];
  if (catchUp === 'eachDay') {
    const today = shanghaiDate(now);
    for (let day = shanghaiDate(after); day < today; day = addDays(day, 1)) {
      const lastOfDay = latestRateOccurrence(
        minutes,
        new Date(Date.parse(`${addDays(day, 1)}T00:00:00+08:00`) - 1),
      );
      if (lastOfDay.getTime() > after.getTime()) occurrences.push(lastOfDay);
    }
  }
  const latest = latestRateOccurrence(minutes, now);
  if (latest.getTime() > after.getTime()) occurrences.push(latest);
  return occurrences;
}

/**
 * `lastChecked`: every occurrence at or before it has been handled. `ran`: while a check is catching
 * up, each job's latest occurrence handled so far (gone once the check is through).
 */
interface SchedulerState {
  lastChecked: number;
  ran?: Record<string, number>;
}

export class LocalScheduler {
  private state: SchedulerState;
  private readonly ticker: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly jobs: Record<string, LocalJob>,
    private readonly clock: Clock & { onChange?(listener: () => void): () => void },
    private readonly stateFile: string,
  ) {
    const saved = existsSync(stateFile)
      ? (JSON.parse(readFileSync(stateFile, 'utf8')) as Partial<SchedulerState>)
      : {};
    this.state = {
      lastChecked: saved.lastChecked ?? clock.now().getTime(),
      ...(saved.ran ? { ran: saved.ran } : {}),
    };
    this.ticker = setInterval(() => this.check(), 5_000);
    this.ticker.unref();
    this.unsubscribe = clock.onChange?.(() => this.check()) ?? (() => undefined);
  }

  /** Resolves when the jobs that came due have run. */
  check(): Promise<void> {
    this.running = this.running
      .then(() => this.runDue())
      .catch((error: unknown) => {
        logger.error('local scheduler failed', { error: error as Error });
      });
    return this.running;
  }

  stop(): void {
    clearInterval(this.ticker);
    this.unsubscribe();
  }

  private async runDue(): Promise<void> {
    const now = this.clock.now();
    if (now.getTime() <= this.state.lastChecked) {
      // The clock went back (or did not move): nothing came due.
      this.save({ lastChecked: now.getTime() });
      return;
    }
    const due: { name: string; job: LocalJob; at: Date }[] = [];
    const oldest = new Date(now.getTime() - CATCH_UP_DAYS * DAY_MS);
    for (const [name, job] of Object.entries(this.jobs)) {
      const after = new Date(Math.max(this.state.lastChecked, this.state.ran?.[name] ?? 0));
      if (!('cron' in job)) {
        const from = after < oldest ? oldest : after;
        for (const at of rateOccurrencesBetween(job.everyMinutes, from, now, job.catchUp))
          due.push({ name, job, at });
        continue;
      }
      if (after < oldest && latestOccurrence(job.cron, oldest).getTime() > after.getTime()) {
        logger.warn('local scheduler skipped occurrences older than the catch-up window', {
          job: name,
          after: after.toISOString(),
          upTo: oldest.toISOString(),
          catchUpDays: CATCH_UP_DAYS,
        });
      }
      const from = after < oldest ? oldest : after;
      for (const at of occurrencesBetween(job.cron, from, now)) due.push({ name, job, at });
    }
    due.sort((a, b) => a.at.getTime() - b.at.getTime() || a.name.localeCompare(b.name));
    for (const { name, job, at } of due) {
      const scheduledTime = at.toISOString();
      try {
        const result = await job.run({ scheduledTime });
        const ran = { job: name, scheduledTime, result: result as Record<string, unknown> };
        // A job every minute would drown the log: only its failures are logged above debug.
        if ('cron' in job) logger.info('local scheduled job ran', ran);
        else logger.debug('local scheduled job ran', ran);
      } catch (error) {
        // As EventBridge Scheduler once its retries are spent: logged, and the next occurrence runs.
        logger.error('local scheduled job failed', { job: name, scheduledTime, error: error as Error });
      }
      this.save({ ...this.state, ran: { ...this.state.ran, [name]: at.getTime() } });
    }
    this.save({ lastChecked: now.getTime() });
  }

  private save(state: SchedulerState): void {
    this.state = state;
    writeFileSync(this.stateFile, JSON.stringify(state));
  }
}
